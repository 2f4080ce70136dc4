/**
 * The vCPU and memory combinations AWS Batch accepts for a Fargate job (`resourceRequirements` VCPU
 * and MEMORY), and the check that names the valid memories for a vCPU count.
 * Source: https://docs.aws.amazon.com/batch/latest/APIReference/API_ResourceRequirement.html
 * (type="MEMORY" / type="VCPU", "for jobs that are running on Fargate resources"); the same task sizes
 * as ECS on Fargate: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 * 8 and 16 vCPU need Fargate platform version 1.4.0 or later (LATEST, which the job definition asks for).
 */
import { show } from '../errors';

/** The memories, MiB, from `min` to `max` in steps of `step`. */
function steps(min: number, max: number, step: number): number[] {
  const out: number[] = [];
  for (let m = min; m <= max; m += step) out.push(m);
  return out;
}

export interface FargateSize {
  /** vCPUs of the job (Batch's VCPU value). */
  readonly vcpu: number;
  /** Every memory, MiB, allowed with that many vCPUs (Batch's MEMORY value). */
  readonly memoriesMiB: readonly number[];
  /** The same, as the AWS table words it. */
  readonly described: string;
}

/** The table of the source above, one row per vCPU count. */
export const FARGATE_SIZES: readonly FargateSize[] = [
  { vcpu: 0.25, memoriesMiB: [512, 1024, 2048], described: '512, 1024 or 2048' },
  { vcpu: 0.5, memoriesMiB: steps(1024, 4096, 1024), described: '1024 to 4096 in steps of 1024' },
  { vcpu: 1, memoriesMiB: steps(2048, 8192, 1024), described: '2048 to 8192 in steps of 1024' },
  { vcpu: 2, memoriesMiB: steps(4096, 16384, 1024), described: '4096 to 16384 in steps of 1024' },
  { vcpu: 4, memoriesMiB: steps(8192, 30720, 1024), described: '8192 to 30720 in steps of 1024' },
  { vcpu: 8, memoriesMiB: steps(16384, 61440, 4096), described: '16384 to 61440 in steps of 4096' },
  { vcpu: 16, memoriesMiB: steps(32768, 122880, 8192), described: '32768 to 122880 in steps of 8192' },
];

/** vCPU counts a Fargate job may ask for. */
export const FARGATE_VCPUS: readonly number[] = FARGATE_SIZES.map((r) => r.vcpu);

/** Every memory, MiB, a Fargate job with this many vCPUs may ask for; [] for a vCPU count Fargate does not offer. */
export function fargateMemoriesFor(vcpu: number): readonly number[] {
  return FARGATE_SIZES.find((r) => r.vcpu === vcpu)?.memoriesMiB ?? [];
}

/**
 * Problems of a vCPU/memory pair for a Fargate job, each naming `key`, the value and the valid ones;
 * [] when AWS Batch accepts the pair.
 */
export function fargateResourceProblems(vcpu: unknown, memoryMiB: unknown, key = 'simulationBatch'): string[] {
  if (typeof vcpu !== 'number' || !FARGATE_VCPUS.includes(vcpu)) {
    return [`${key}.vcpu must be one of the vCPU counts Fargate offers (${FARGATE_VCPUS.join(', ')}), got ${show(vcpu)}.`];
  }
  if (typeof memoryMiB !== 'number' || !fargateMemoriesFor(vcpu).includes(memoryMiB)) {
    const fitting = FARGATE_SIZES.filter((r) => typeof memoryMiB === 'number' && r.memoriesMiB.includes(memoryMiB)).map((r) => r.vcpu);
    const hint = fitting.length > 0 ? `; or keep ${memoryMiB} MiB with vcpu ${fitting.join(' or ')}` : '';
    return [`${key}.memoryMiB must be, for ${vcpu} vCPU on Fargate, ${FARGATE_SIZES.find((r) => r.vcpu === vcpu)!.described} MiB, got ${show(memoryMiB)}${hint}.`];
  }
  return [];
}

/** A job definition's `resourceRequirements` (Batch wants the values as strings). */
export function fargateResourceRequirements(vcpu: number, memoryMiB: number): { type: 'VCPU' | 'MEMORY'; value: string }[] {
  return [{ type: 'VCPU', value: String(vcpu) }, { type: 'MEMORY', value: String(memoryMiB) }];
}
