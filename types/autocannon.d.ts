// autocannon ships no type declarations; this covers the part bench/cases/edge.ts uses.
declare module 'autocannon' {
  interface AutocannonResult {
    readonly requests: { readonly average: number; readonly total: number };
    readonly non2xx: number;
    readonly errors: number;
  }
  function autocannon(options: Readonly<Record<string, unknown>>): Promise<AutocannonResult>;
  export = autocannon;
}
