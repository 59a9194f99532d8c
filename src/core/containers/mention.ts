/** The names a text must mention for a YAML or env file to be a product's container deployment (the rest is not ours). */
export const CONTAINER_MENTION =
  /atlassian\/(?:jira|confluence|bitbucket|bamboo|crowd)|\bATL_JDBC_|\bJDBC_PASSWORD\b|\bJDBC_PASSWORD_DECRYPTER_CLASSNAME\b|^(?:jira|confluence|bitbucket|bamboo|crowd):/m;
