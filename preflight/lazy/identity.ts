/**
 * @azure/identity, only to sign in. Imported lazily; in the bundle it is kept as text and compiled
 * only when imported (scripts/build-preflight.mjs), so `--help` and `--auth none` never pay for it.
 */
export {
  AzureCliCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DeviceCodeCredential,
  EnvironmentCredential,
  InteractiveBrowserCredential,
} from "@azure/identity";
