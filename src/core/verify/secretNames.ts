import { TtlMemo } from '../util/ttlMemo';

/** A secret's name and description, for completion (never its value). */
export interface SecretName {
  readonly name: string;
  readonly description?: string;
}

/** What lists a region's secret names: the AWS module's verifier, made for one listing and disposed after it. */
export interface SecretNameLister {
  secretNames(region: string): Promise<SecretName[]>;
  dispose(): void;
}

/**
 * Secret names for completion, for the editor and the language server alike: listed at most once a minute per profile
 * and region (a completion asks on every keystroke); none on failure, which is logged and not kept (the next
 * completion tries again, after `aws sso login`).
 */
export class SecretNameCache {
  private readonly memo = new TtlMemo<SecretName[]>(60_000);

  constructor(private readonly warn: (message: string) => void) {}

  list(profile: string | undefined, region: string, newLister: () => SecretNameLister): Promise<SecretName[]> {
    return this.memo
      .get(`${profile ?? ''}\u0000${region}`, async () => {
        const lister = newLister();
        try {
          return await lister.secretNames(region);
        } finally {
          lister.dispose();
        }
      })
      .catch((error: unknown) => {
        this.warn(`listing secrets in ${region} failed (${(error as Error).name})`);
        return [];
      });
  }
}
