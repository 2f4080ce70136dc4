/** A benchmark case: one file in bench/cases/ exporting `benchCase`. */
export interface Figure {
  readonly value: number;
  readonly unit: string;
}

export type Figures = Record<string, Figure>;

export interface BenchCase {
  readonly name: string;
  readonly description: string;
  run(): Promise<Figures>;
}
