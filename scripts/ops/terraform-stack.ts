// Where a deployed stage's Terraform lives. Every stage is planned from the one root terraform/stack;
// what makes it that stage is data in terraform/environments/<stage>/: its settings (<stage>.tfvars)
// and, once initialised, its working data (.terraform/, holding its backend configuration and so the
// way to its own state). Running terraform in the root with that TF_DATA_DIR reads that stage's state
// and nobody else's, whichever stage was initialised last.
import { join } from 'node:path';
import { repoRoot } from '../lib/resources';

export interface TerraformStack {
  /** The root configuration, for `terraform -chdir=…`. */
  rootDir: string;
  /** TF_DATA_DIR for this stage. */
  dataDir: string;
  /** The stage's settings, for `-var-file=…` on plan and apply. */
  varFile: string;
}

export function terraformStack(stage: string, root: string = repoRoot): TerraformStack {
  const environmentDir = join(root, 'terraform', 'environments', stage);
  return {
    rootDir: join(root, 'terraform', 'stack'),
    dataDir: join(environmentDir, '.terraform'),
    varFile: join(environmentDir, `${stage}.tfvars`),
  };
}
