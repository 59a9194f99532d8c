/** The AWS secret edit planner for any supported file: Bitbucket's properties or a product's XML. */
import { isXmlConfigName } from '../analyzeFile';
import { detectXmlProduct, XmlProduct } from '../products/xmlAnalyze';
import { readXml } from '../xml/xmlReader';
import { AwsSecretTarget, Plan, PlanOptions, planAwsSecret } from './awsSecretPlan';
import { planXmlAwsSecret } from './xmlAwsSecretPlan';
import { AES_ONLY_STORE } from '../model/cipherClasses';

export function planForFile(
  fileName: string,
  text: string,
  target: AwsSecretTarget,
  options: PlanOptions & { associations?: Readonly<Record<string, string>> } = {},
): Plan | { kind: 'error'; message: string } {
  const mapped = options.associations?.[fileName];
  if (mapped === 'bitbucket') return planAwsSecret(text, target, options);
  if (fileName.toLowerCase().endsWith('.xml') || isXmlConfigName(fileName, options.associations)) {
    const product = (detectXmlProduct(fileName, readXml(text).root?.name, options.associations) ?? undefined) as XmlProduct | undefined;
    if (!product) return { kind: 'error', message: `${fileName} is not a Jira, Confluence, Bamboo or Crowd configuration file` };
    if (product === 'crowd') {
      return {
        kind: 'error',
        message: `Crowd accepts only the AES-only store (${AES_ONLY_STORE}), so an AWS Secrets Manager reference would stop it; encrypt the password with Atlassian's CipherTool instead`,
      };
    }
    return planXmlAwsSecret(text, target, product);
  }
  return planAwsSecret(text, target, options);
}
