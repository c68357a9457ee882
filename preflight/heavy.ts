/**
 * The large libraries, in one place: @azure/identity (only to sign in) and dataverse-ify (only to
 * check). Imported lazily; in the bundle they are kept as text and compiled only when imported, so
 * `--help`, `--version` and a usage error start as fast as a small script.
 */
export {
  AzureCliCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DeviceCodeCredential,
  EnvironmentCredential,
  InteractiveBrowserCredential,
} from "@azure/identity";
export { WebApiBase } from "dataverse-ify/lib/webapi/WebApiBase";
export { NodeWebApiRequest } from "dataverse-ify/lib/webapi/node/NodeWebApiRequest";
export { sendWebApiRequest } from "dataverse-ify/lib/webapi/WebApiRequest";
