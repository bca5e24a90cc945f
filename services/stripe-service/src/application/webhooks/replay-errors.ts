import { DomainError } from '@shared/errors/domain-error';

/** `--resume` found a checkpoint of another replay (other start time or types). */
export class ReplayCheckpointMismatchError extends DomainError {
  constructor(found: { since: number; types: string[] }) {
    super(
      'conflict',
      'replay_checkpoint_mismatch',
      `The checkpoint is of a replay since ${new Date(found.since * 1000).toISOString()} for ${found.types.length ? found.types.join(', ') : 'every type'}; resume it with those options, or start over without --resume.`,
    );
  }
}
