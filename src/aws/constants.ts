export const SECRETS_MANAGER_PACKAGE = '@aws-sdk/client-secrets-manager';
