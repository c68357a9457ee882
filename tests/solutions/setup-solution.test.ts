// Work365Setup: the app that hosts the control before Work 365 is installed. It does not carry
// the control, so it is packed here without building the control.
import * as fs from "fs";
import * as path from "path";
import {
  CONTROL_NAME, CONTROL_SOLUTION, PREFIX, ROOT, SETUP_SOLUTION,
  PLUGIN_DLL, all, at, attrNames, child, childNames, elements, isSubsequence, runPackager, tempDir, text, unzip, vendorFile, version, xml, zipName,
} from "./helpers";

const FORM_ID = "{70405a0e-6a16-408b-a6e4-69f42f668721}";
const ASSEMBLY_FOLDER = "PluginAssemblies/Work365ChecklistStatePlugin-2A7E0BAE-CBAC-44A5-8068-F0D22C45D009";
const ASSEMBLY_ENTRY = `${ASSEMBLY_FOLDER}/Work365ChecklistStatePlugin.dll`;
let bin: string;
const zips: Record<"unmanaged" | "managed", Map<string, Buffer>> = {} as never;

beforeAll(() => {
  bin = tempDir("setup");
  runPackager(["--solution", SETUP_SOLUTION, "--bin", bin]);
  zips.unmanaged = unzip(path.join(bin, zipName(SETUP_SOLUTION, false)));
  zips.managed = unzip(path.join(bin, zipName(SETUP_SOLUTION, true)));
});

const customizations = (kind: "unmanaged" | "managed" = "managed"): Document => xml(zips[kind].get("customizations.xml")!, "customizations.xml");
const solution = (kind: "unmanaged" | "managed" = "managed"): Document => xml(zips[kind].get("solution.xml")!, "solution.xml");
const entity = (): Element => at(customizations().documentElement, "Entities", "Entity");
const mainForm = (): Element => at(entity(), "FormXml", "forms", "systemform");
const columnsOf = (e: Element): Element[] => elements(at(e, "EntityInfo", "entity", "attributes"));

describe("Work365Setup zips", () => {
  it("are written under both names, with the manifest entries and the plug-in assembly", () => {
    expect(fs.readdirSync(bin).sort()).toEqual([zipName(SETUP_SOLUTION, false), zipName(SETUP_SOLUTION, true)]);
    for (const kind of ["unmanaged", "managed"] as const) {
      expect([...zips[kind].keys()]).toEqual(["customizations.xml", "solution.xml", ASSEMBLY_ENTRY, "[Content_Types].xml"]);
    }
  });

  it("have a [Content_Types].xml like pac's", () => {
    const ct = zips.managed.get("[Content_Types].xml")!;
    expect(ct.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const types = xml(ct).documentElement;
    expect(types.getAttribute("xmlns")).toBe("http://schemas.openxmlformats.org/package/2006/content-types");
    expect(elements(types).map((e) => `${e.tagName} ${e.getAttribute("Extension")} ${e.getAttribute("ContentType")}`)).toEqual([
      "Default xml text/xml",
      "Default dll application/octet-stream",
    ]);
  });

  it("carry well-formed XML with a byte order mark and CRLF line ends, as SolutionPackager writes", () => {
    for (const kind of ["unmanaged", "managed"] as const) {
      for (const [name, data] of zips[kind]) {
        if (name === ASSEMBLY_ENTRY) continue;
        xml(data, `${kind} ${name}`);
        expect(data.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
        if (name !== "[Content_Types].xml") expect(data.toString("utf8")).not.toMatch(/[^\r]\n/);
      }
    }
  });

  it("declare the solution, its version, the managed flag and the Work 365 publisher", () => {
    for (const [kind, flag] of [["unmanaged", "0"], ["managed", "1"]] as const) {
      const m = at(solution(kind).documentElement, "SolutionManifest");
      expect(child(m, "UniqueName").textContent).toBe(SETUP_SOLUTION);
      expect(child(m, "Version").textContent).toBe(`${version()}.0`);
      expect(child(m, "Managed").textContent).toBe(flag);
      const publisher = child(m, "Publisher");
      expect(child(publisher, "UniqueName").textContent).toBe("Work365");
      expect(at(publisher, "LocalizedNames", "LocalizedName").getAttribute("description")).toBe("Work 365");
      expect(child(publisher, "CustomizationPrefix").textContent).toBe(PREFIX);
      const optionPrefix = Number(child(publisher, "CustomizationOptionValuePrefix").textContent);
      expect(optionPrefix).toBeGreaterThanOrEqual(10000);
      expect(optionPrefix).toBeLessThanOrEqual(99999);
    }
  });

  it("root the table and the app, and not the control", () => {
    const roots = all(solution(), "RootComponent").map((r) => `${r.getAttribute("type")} ${r.getAttribute("schemaName")}`);
    expect(roots).toEqual(expect.arrayContaining(["1 w365_setup", "80 w365_Work365Setup"]));
    expect(roots.filter((r) => r.startsWith("66 "))).toEqual([]);
    expect(elements(at(customizations().documentElement, "CustomControls"))).toEqual([]);
  });

  it("declare the dependency on the control solution, which is imported first", () => {
    const deps = all(solution(), "MissingDependency").map((d) => ({ required: child(d, "Required"), dependent: child(d, "Dependent") }));
    const onControl = deps.filter((d) => d.required.getAttribute("type") === "66");
    expect(onControl).toHaveLength(1);
    expect(onControl[0].required.getAttribute("schemaName")).toBe(CONTROL_NAME);
    expect(onControl[0].required.getAttribute("solution")).toBe(`${CONTROL_SOLUTION} (${version()}.0)`);
    expect(onControl[0].dependent.getAttribute("type")).toBe("60");
    expect(onControl[0].dependent.getAttribute("id")).toBe(FORM_ID);
  });

  it("define the Work 365 Setup table with its three columns", () => {
    const info = at(entity(), "EntityInfo", "entity");
    expect(info.getAttribute("Name")).toBe("w365_setup");
    expect(at(info, "LocalizedNames", "LocalizedName").getAttribute("description")).toBe("Work 365 Setup");
    const columns = new Map(elements(child(info, "attributes")).map((a) => [child(a, "LogicalName").textContent, a]));
    const name = columns.get("w365_name")!;
    expect(child(name, "Type").textContent).toBe("nvarchar");
    expect(child(name, "DisplayMask").textContent).toContain("PrimaryName");
    const upn = columns.get("w365_serviceaccountupn")!;
    expect(child(upn, "Type").textContent).toBe("nvarchar");
    expect(child(upn, "MaxLength").textContent).toBe("320");
    const state = columns.get("w365_checkliststate")!;
    expect(child(state, "Type").textContent).toBe("ntext");
    expect(child(state, "MaxLength").textContent).toBe("1048576");
  });

  it("has a Work 365 Settings main form with the control on checklist state and the UPN field", () => {
    const form = mainForm();
    expect(child(form, "formid").textContent).toBe(FORM_ID);
    expect(at(form, "LocalizedNames", "LocalizedName").getAttribute("description")).toBe("Work 365 Settings");
    const controls = all(form, "control");
    expect(controls.map((c) => c.getAttribute("datafieldname"))).toEqual(expect.arrayContaining(["w365_serviceaccountupn", "w365_checkliststate"]));
    const host = controls.find((c) => c.getAttribute("datafieldname") === "w365_checkliststate")!;
    const description = all(form, "controlDescription").find((d) => d.getAttribute("forControl") === host.getAttribute("uniqueid"));
    expect(description).toBeDefined();
    const custom = elements(description!);
    // The default text box first, as forms keep it, then one entry per client: phone, tablet, web.
    expect(custom[0].getAttribute("id")).toBe(host.getAttribute("classid"));
    expect(at(custom[0], "parameters", "datafieldname").textContent).toBe("w365_checkliststate");
    const pcf = custom.slice(1);
    expect(pcf.map((c) => c.getAttribute("formFactor")).sort()).toEqual(["0", "1", "2"]);
    for (const c of pcf) {
      expect(c.getAttribute("name")).toBe(CONTROL_NAME);
      expect(elements(child(c, "parameters")).map((p) => `${p.tagName}=${p.textContent}`)).toEqual([
        "checklistState=w365_checkliststate",
        "serviceAccountUpn=w365_serviceaccountupn",
      ]);
    }
  });

  it("binds form parameters only to manifest properties and to columns the table defines", () => {
    const manifest = xml(fs.readFileSync(path.join(ROOT, "PrerequisiteChecklist", "ControlManifest.Input.xml")), "ControlManifest.Input.xml");
    const properties = new Set(all(manifest, "property").map((p) => p.getAttribute("name")));
    const columns = new Set(columnsOf(entity()).map((a) => child(a, "LogicalName").textContent));
    for (const c of all(mainForm(), "customControl").filter((c) => c.getAttribute("name") === CONTROL_NAME)) {
      for (const p of elements(child(c, "parameters"))) {
        expect(properties).toContain(p.tagName);
        if (p.getAttribute("static") !== "true") expect(columns).toContain(p.textContent);
      }
    }
    for (const c of all(mainForm(), "control")) expect(columns).toContain(c.getAttribute("datafieldname"));
  });

  it("has a view of active Work 365 Setup records", () => {
    const views = all(entity(), "savedquery");
    const active = views.find((v) => child(v, "querytype").textContent === "0" && child(v, "isdefault").textContent === "1")!;
    expect(at(active, "LocalizedNames", "LocalizedName").getAttribute("description")).toBe("Active Work 365 Setups");
    expect(all(active, "entity")[0].getAttribute("name")).toBe("w365_setup");
    expect(all(active, "condition").map((c) => `${c.getAttribute("attribute")} ${c.getAttribute("operator")} ${c.getAttribute("value")}`)).toEqual(["statecode eq 0"]);
  });

  it("has a Work 365 Setup app whose site map opens the table", () => {
    const root = customizations().documentElement;
    const app = at(root, "AppModules", "AppModule");
    expect(child(app, "UniqueName").textContent).toBe("w365_Work365Setup");
    expect(at(app, "LocalizedNames", "LocalizedName").getAttribute("description")).toBe("Work 365 Setup");
    const components = elements(child(app, "AppModuleComponents")).map((c) => `${c.getAttribute("type")} ${c.getAttribute("schemaName") ?? c.getAttribute("id")}`);
    expect(components).toEqual(expect.arrayContaining(["1 w365_setup", `60 ${FORM_ID}`, "62 w365_Work365Setup"]));
    const views = all(entity(), "savedqueryid").map((v) => `26 ${v.textContent}`);
    expect(components).toEqual(expect.arrayContaining(views));
    const siteMap = at(root, "AppModuleSiteMaps", "AppModuleSiteMap");
    expect(child(siteMap, "SiteMapUniqueName").textContent).toBe("w365_Work365Setup");
    expect(all(siteMap, "SubArea").map((s) => s.getAttribute("Entity"))).toEqual(["w365_setup"]);
  });

  it("differ between unmanaged and managed only in the managed flag", () => {
    expect(zips.unmanaged.get("customizations.xml")).toEqual(zips.managed.get("customizations.xml"));
    expect(text(zips.unmanaged.get("solution.xml")!).replace("<Managed>0</Managed>", "<Managed>1</Managed>")).toBe(text(zips.managed.get("solution.xml")!));
  });

  it("use the w365 prefix for every name they introduce", () => {
    const c = customizations();
    const names = [
      ...all(c, "entity").map((e) => e.getAttribute("Name") ?? e.getAttribute("name")),
      ...columnsOf(entity()).map((a) => child(a, "LogicalName").textContent),
      ...all(c, "UniqueName").map((e) => e.textContent),
      ...all(c, "SiteMapUniqueName").map((e) => e.textContent),
      ...all(c, "customControl").map((e) => e.getAttribute("name")).filter(Boolean),
      // An assembly's root component is named by its .NET identity, which takes no prefix.
      ...all(solution(), "RootComponent").filter((r) => r.getAttribute("type") !== "91").map((r) => r.getAttribute("schemaName")).filter(Boolean),
    ];
    expect(names.length).toBeGreaterThan(5);
    for (const n of names) expect(n).toMatch(new RegExp(`^${PREFIX}_`));
  });
});

// The real server export this app is modelled on (a table, forms, views, an app and a site map).
describe("Work365Setup follows the real server export in the parts they share", () => {
  let real: { solution: Document; customizations: Document };
  beforeAll(() => {
    const files = unzip(vendorFile("CodeInterpreterSample_1_0_0_0_managed.zip"));
    real = { solution: xml(files.get("solution.xml")!), customizations: xml(files.get("customizations.xml")!) };
  });
  const ours = (): { solution: Document; customizations: Document } => ({ solution: solution(), customizations: customizations() });
  const realEntity = (): Element => at(real.customizations.documentElement, "Entities", "Entity");
  const realForm = (type: string): Element =>
    elements(at(realEntity(), "FormXml")).find((f) => f.getAttribute("type") === type)!.getElementsByTagName("systemform")[0] as unknown as Element;
  const expectSubsequence = (mine: string[], theirs: string[], what: string): void => {
    if (!isSubsequence(mine, theirs)) throw new Error(`${what}: [${mine.join(", ")}] does not follow the real export's [${theirs.join(", ")}]`);
  };

  it("solution manifest", () => {
    const [m, r] = [at(ours().solution.documentElement, "SolutionManifest"), at(real.solution.documentElement, "SolutionManifest")];
    expect(childNames(m)).toEqual(childNames(r));
    expect(childNames(child(m, "Publisher"))).toEqual(childNames(child(r, "Publisher")));
    const realAttrs = new Set(all(r, "RootComponent").flatMap(attrNames));
    for (const rc of all(m, "RootComponent")) for (const a of attrNames(rc)) expect(realAttrs).toContain(a);
    for (const tag of ["Required", "Dependent"]) {
      // The real export's dependents are an app and an app setting; a form dependent (ours)
      // is named by id under its table, as exports write it.
      const allowed = new Set([...all(r, tag).flatMap(attrNames), ...(tag === "Dependent" ? ["id", "parentSchemaName", "parentDisplayName"] : [])]);
      for (const e of all(m, tag)) for (const a of attrNames(e)) expect(allowed).toContain(a);
    }
    for (const d of all(m, "MissingDependency")) expect(childNames(d)).toEqual(["Required", "Dependent"]);
  });

  it("customizations root", () => {
    // The real export has no plug-in; Contoso's (below) places its two elements after CustomControls.
    const theirs = childNames(real.customizations.documentElement).flatMap((n) => (n === "CustomControls" ? [n, ...PLUGIN_ELEMENTS] : [n]));
    expectSubsequence(childNames(ours().customizations.documentElement), theirs, "customizations.xml");
  });

  it("entity", () => {
    const mine = at(ours().customizations.documentElement, "Entities", "Entity");
    expect(childNames(mine)).toEqual(childNames(realEntity()));
    expect(attrNames(child(mine, "Name"))).toEqual(attrNames(child(realEntity(), "Name")));
    const [e, r] = [at(mine, "EntityInfo", "entity"), at(realEntity(), "EntityInfo", "entity")];
    expect(childNames(e)).toEqual(childNames(r));
    const realAttributes = elements(child(r, "attributes"));
    const realOfType = (type: string): Element => realAttributes.find((a) => child(a, "Type").textContent === type)!;
    for (const a of elements(child(e, "attributes"))) {
      const type = child(a, "Type").textContent!;
      // The real table has no multiline column: its single-line text columns are the nearest kind.
      const model = realOfType(type === "ntext" ? "nvarchar" : type);
      expectSubsequence(childNames(a), childNames(model), `attribute ${child(a, "LogicalName").textContent}`);
    }
  });

  it("main form", () => {
    const [mine, theirs] = [mainForm(), realForm("main")];
    expect(childNames(mine)).toEqual(childNames(theirs));
    // controlDescriptions is where a form binds a code component; the real form has none.
    expectSubsequence(childNames(child(mine, "form")).filter((n) => n !== "controlDescriptions"), childNames(child(theirs, "form")), "form");
    for (const tag of ["tab", "section", "cell", "control"]) {
      const allowed = new Set([...all(theirs, tag).flatMap(attrNames), ...(tag === "control" ? ["uniqueid"] : [])]);
      for (const e of all(mine, tag)) for (const a of attrNames(e)) expect(allowed).toContain(a);
    }
    expect(attrNames(child(mine, "form"))).toEqual(attrNames(child(theirs, "form")));
  });

  it("view", () => {
    const realViews = all(realEntity(), "savedquery");
    for (const v of all(mainForm().parentNode!.parentNode!.parentNode as Element, "savedquery")) {
      const model = realViews.find((r) => child(r, "querytype").textContent === child(v, "querytype").textContent)!;
      expect(childNames(v)).toEqual(childNames(model));
    }
  });

  it("app and site map", () => {
    const [mine, theirs] = [ours().customizations.documentElement, real.customizations.documentElement];
    expectSubsequence(childNames(at(mine, "AppModules", "AppModule")), childNames(at(theirs, "AppModules", "AppModule")), "AppModule");
    expect(childNames(at(mine, "AppModuleSiteMaps", "AppModuleSiteMap"))).toEqual(childNames(at(theirs, "AppModuleSiteMaps", "AppModuleSiteMap")));
    for (const tag of ["SiteMap", "Area", "Group", "SubArea"]) {
      const allowed = new Set(all(theirs, tag).flatMap(attrNames));
      expect(all(mine, tag).length).toBeGreaterThan(0);
      for (const e of all(mine, tag)) for (const a of attrNames(e)) expect(allowed).toContain(a);
    }
  });
});

/**
 * The plug-in, laid out as microsoft/contoso-real-estate-power-platform (MIT) registers its own in
 * src/core/solution/ContosoRealEstateCore/src/: PluginAssemblies/<name>-<GUID>/<name>.dll.data.xml,
 * SdkMessageProcessingSteps/{id}.xml, root components 91 and 92. The shapes below are read from
 * those files; with CONTOSO_SOLUTION_SRC naming that folder of a checkout, a test reads them again.
 */
const PLUGIN_ELEMENTS = ["SolutionPluginAssemblies", "SdkMessageProcessingSteps"];
const CONTOSO = {
  assemblyAttributes: ["FullName", "PluginAssemblyId", "CustomizationLevel", "xmlns:xsi"],
  assembly: ["IsolationMode", "SourceType", "IntroducedVersion", "FileName", "PluginTypes"],
  typeAttributes: ["AssemblyQualifiedName", "PluginTypeId", "Name"],
  type: ["FriendlyName"],
  stepAttributes: ["Name", "SdkMessageProcessingStepId", "xmlns:xsi"],
  step: [
    "SdkMessageId", "PluginTypeName", "PluginTypeId", "PrimaryEntity", "AsyncAutoDelete", "Description", "FilteringAttributes", "InvocationSource",
    "Mode", "Rank", "EventHandlerTypeCode", "Stage", "IsCustomizable", "IsHidden", "SupportedDeployment", "IntroducedVersion", "SdkMessageProcessingStepImages",
  ],
  image: ["SdkMessageProcessingStepImageId", "Attributes", "EntityAlias", "ImageType", "MessagePropertyName", "IsCustomizable"],
  customizations: ["CustomControls", ...PLUGIN_ELEMENTS, "AppModuleSiteMaps"],
  // The platform's own sdkmessage ids, the same in every environment.
  messages: { Create: "9ebdbb1b-ea3e-db11-86a7-000a3a5473e8", Update: "20bebb1b-ea3e-db11-86a7-000a3a5473e8" },
};

describe("Work365Setup registers the plug-in as a real solution does", () => {
  const root = (): Element => customizations().documentElement;
  const assembly = (): Element => at(root(), "SolutionPluginAssemblies", "PluginAssembly");
  const steps = (): Element[] => elements(child(root(), "SdkMessageProcessingSteps"));
  const stepFor = (message: "Create" | "Update"): Element => steps().find((s) => child(s, "SdkMessageId").textContent === CONTOSO.messages[message])!;

  it("ships the plug-in's net462 build, byte for byte, at the path the assembly names, and no SDK", () => {
    expect(fs.existsSync(PLUGIN_DLL)).toBe(true);
    for (const kind of ["unmanaged", "managed"] as const) {
      expect(zips[kind].get(ASSEMBLY_ENTRY)).toEqual(fs.readFileSync(PLUGIN_DLL));
      expect([...zips[kind].keys()].filter((n) => /Microsoft\.Xrm|\.pdb$/i.test(n))).toEqual([]);
    }
    expect(child(assembly(), "FileName").textContent).toBe(`/${ASSEMBLY_ENTRY}`);
  });

  it("has the assembly, its plug-in type and two steps in Contoso's shapes, in Contoso's place", () => {
    expectOrder(childNames(root()), CONTOSO.customizations);
    expect(attrNames(assembly())).toEqual(CONTOSO.assemblyAttributes);
    expect(childNames(assembly())).toEqual(CONTOSO.assembly);
    const types = elements(child(assembly(), "PluginTypes"));
    expect(types).toHaveLength(1);
    expect(attrNames(types[0])).toEqual(CONTOSO.typeAttributes);
    expect(childNames(types[0])).toEqual(CONTOSO.type);
    expect(steps()).toHaveLength(2);
    for (const step of steps()) {
      expect(attrNames(step)).toEqual(CONTOSO.stepAttributes);
      expect(childNames(step)).toEqual(CONTOSO.step);
    }
    expect(childNames(at(stepFor("Update"), "SdkMessageProcessingStepImages", "SdkMessageProcessingStepImage"))).toEqual(CONTOSO.image);
  });

  it("runs the guard synchronously in PreOperation on Create and on Update of the checklist column, the Update with its pre-image", () => {
    const type = at(assembly(), "PluginTypes", "PluginType");
    const fullName = assembly().getAttribute("FullName")!;
    expect(fullName).toMatch(/^Work365\.ChecklistStatePlugin, Version=\d+\.\d+\.\d+\.\d+, Culture=neutral, PublicKeyToken=[0-9a-f]{16}$/);
    expect(type.getAttribute("AssemblyQualifiedName")).toBe(`Work365.ChecklistStatePlugin.ChecklistStateGuard, ${fullName}`);
    expect(child(assembly(), "IsolationMode").textContent).toBe("2"); // the sandbox
    for (const message of ["Create", "Update"] as const) {
      const step = stepFor(message);
      expect(step).toBeDefined();
      expect(child(step, "PluginTypeName").textContent).toBe(type.getAttribute("AssemblyQualifiedName"));
      expect(child(step, "PluginTypeId").textContent).toBe(type.getAttribute("PluginTypeId"));
      expect(child(step, "PrimaryEntity").textContent).toBe("w365_setup");
      expect([child(step, "Stage").textContent, child(step, "Mode").textContent, child(step, "SupportedDeployment").textContent]).toEqual(["20", "0", "0"]);
    }
    // Create has no pre-image (there is no row before it); filtering attributes apply to Update only.
    expect(elements(child(stepFor("Create"), "SdkMessageProcessingStepImages"))).toEqual([]);
    expect(child(stepFor("Update"), "FilteringAttributes").textContent).toBe("w365_checkliststate");
    const image = at(stepFor("Update"), "SdkMessageProcessingStepImages", "SdkMessageProcessingStepImage");
    expect(image.getAttribute("Name")).toBe("PreImage");
    expect([child(image, "Attributes").textContent, child(image, "EntityAlias").textContent, child(image, "ImageType").textContent, child(image, "MessagePropertyName").textContent])
      .toEqual(["w365_checkliststate", "PreImage", "0", "Target"]);
  });

  it("roots the assembly (91) and both steps (92) in solution.xml, by their ids", () => {
    const roots = all(solution(), "RootComponent");
    const assemblyRoot = roots.filter((r) => r.getAttribute("type") === "91");
    expect(assemblyRoot.map((r) => [r.getAttribute("id"), r.getAttribute("schemaName")])).toEqual([[`{${assembly().getAttribute("PluginAssemblyId")}}`, assembly().getAttribute("FullName")]]);
    const stepRoots = roots.filter((r) => r.getAttribute("type") === "92").map((r) => r.getAttribute("id")).sort();
    expect(stepRoots).toEqual(steps().map((s) => s.getAttribute("SdkMessageProcessingStepId")).sort());
  });

  const contoso = process.env.CONTOSO_SOLUTION_SRC;
  (contoso ? it : it.skip)(`reads Contoso's files again for the shapes above (${contoso ? contoso : "skipped: CONTOSO_SOLUTION_SRC is not set"})`, () => {
    const files = (dir: string): string[] => fs.readdirSync(path.join(contoso!, dir), { recursive: true }).map(String).filter((f) => f.endsWith(".xml")).map((f) => path.join(contoso!, dir, f));
    const assemblyDoc = xml(fs.readFileSync(files("PluginAssemblies")[0])).documentElement;
    expect(attrNames(assemblyDoc)).toEqual(CONTOSO.assemblyAttributes);
    expect(childNames(assemblyDoc)).toEqual(CONTOSO.assembly);
    const type = at(assemblyDoc, "PluginTypes", "PluginType");
    expect([attrNames(type), childNames(type)]).toEqual([CONTOSO.typeAttributes, CONTOSO.type]);
    const stepDocs = files("SdkMessageProcessingSteps").map((f) => xml(fs.readFileSync(f)).documentElement);
    const classic = stepDocs.filter((s) => !childNames(s).includes("fxexpressionid"));
    expect(classic.length).toBeGreaterThan(0);
    for (const s of classic) expect([attrNames(s), childNames(s)]).toEqual([CONTOSO.stepAttributes, CONTOSO.step]);
    const image = stepDocs.flatMap((s) => all(s as unknown as Element, "SdkMessageProcessingStepImage"))[0];
    expect(childNames(image)).toEqual(CONTOSO.image);
    expect(new Set(stepDocs.map((s) => child(s, "SdkMessageId").textContent))).toEqual(new Set(Object.values(CONTOSO.messages)));
    const custom = xml(fs.readFileSync(path.join(contoso!, "Other", "Customizations.xml"))).documentElement;
    expectOrder(childNames(custom), CONTOSO.customizations);
  });
});

/** The names appear next to each other, in this order. */
function expectOrder(names: string[], run: string[]): void {
  const i = names.indexOf(run[0]);
  expect(names.slice(i, i + run.length)).toEqual(run);
}
