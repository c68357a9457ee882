/** The control's resx files by LCID, inlined by scripts/build-preflight.mjs (esbuild's text loader). */
declare module "virtual:preflight-resx" {
  const resx: Record<number, string>;
  export default resx;
}
