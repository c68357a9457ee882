/**
 * The real Microsoft Graph v1.0 CSDL, read with @xmldom/xmldom: entity and complex types (with
 * their base types), enums, entity sets, singletons and alternate keys. It lives outside the
 * repository (../shared/vendor-data/graph-metadata/, see its README.txt) and is never copied in.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DOMParser } from "@xmldom/xmldom";

export const METADATA = path.resolve(__dirname, "../../../shared/vendor-data/graph-metadata/v1.0-cleanMetadata.xml");

export interface CsdlType {
  name: string;
  kind: "EntityType" | "ComplexType";
  base: string | null;
  properties: Map<string, string>;
  navigation: Map<string, string>;
  alternateKeys: string[];
}

export interface Csdl {
  types: Map<string, CsdlType>;
  enums: Map<string, Set<string>>;
  entitySets: Map<string, string>;
  singletons: Map<string, string>;
}

// Minimal DOM shapes: the ones @xmldom/xmldom gives and this file uses.
interface XmlNode {
  nodeName: string;
  firstChild: XmlNode | null;
  nextSibling: XmlNode | null;
  getAttribute?(name: string): string | null;
  getElementsByTagName?(name: string): { length: number; item(i: number): XmlNode | null };
}

function* children(node: XmlNode, name?: string): Generator<XmlNode> {
  for (let c = node.firstChild; c; c = c.nextSibling) if (!name || c.nodeName === name) yield c;
}
const attr = (node: XmlNode, name: string) => node.getAttribute?.(name) ?? null;

let cached: Csdl | null = null;

/** Load the CSDL once per test file; fails naming the path when it is not where CI puts it. */
export function loadCsdl(): Csdl {
  if (cached) return cached;
  if (!fs.existsSync(METADATA)) {
    throw new Error(
      `Graph v1.0 metadata not found at ${METADATA} (../shared/vendor-data/graph-metadata/v1.0-cleanMetadata.xml ` +
        `relative to the repository). CI provides it beside the repository; it is not copied into the project.`,
    );
  }
  const xml = fs.readFileSync(METADATA, "utf8").replace(/^\uFEFF/, "");
  const doc = new DOMParser().parseFromString(xml, "text/xml") as unknown as XmlNode;
  const aliases = new Map<string, string>();
  const schemas: XmlNode[] = [];
  const list = doc.getElementsByTagName?.("Schema");
  for (let i = 0; list && i < list.length; i++) {
    const schema = list.item(i) as XmlNode;
    schemas.push(schema);
    const ns = attr(schema, "Namespace") as string;
    aliases.set(ns, ns);
    const alias = attr(schema, "Alias");
    if (alias) aliases.set(alias, ns);
  }
  const qualify = (type: string): string => {
    const collection = /^Collection\((.*)\)$/.exec(type);
    if (collection) return `Collection(${qualify(collection[1])})`;
    if (type.startsWith("Edm.")) return type;
    const dot = type.lastIndexOf(".");
    const prefix = type.slice(0, dot);
    return `${aliases.get(prefix) ?? prefix}.${type.slice(dot + 1)}`;
  };

  const csdl: Csdl = { types: new Map(), enums: new Map(), entitySets: new Map(), singletons: new Map() };
  for (const schema of schemas) {
    const ns = attr(schema, "Namespace") as string;
    for (const node of children(schema)) {
      if (node.nodeName === "EntityType" || node.nodeName === "ComplexType") {
        const name = `${ns}.${attr(node, "Name")}`;
        const t: CsdlType = {
          name,
          kind: node.nodeName,
          base: attr(node, "BaseType") ? qualify(attr(node, "BaseType") as string) : null,
          properties: new Map(),
          navigation: new Map(),
          alternateKeys: [],
        };
        for (const p of children(node, "Property")) t.properties.set(attr(p, "Name") as string, qualify(attr(p, "Type") as string));
        for (const n of children(node, "NavigationProperty")) t.navigation.set(attr(n, "Name") as string, qualify(attr(n, "Type") as string));
        for (const a of children(node, "Annotation")) {
          if (attr(a, "Term") !== "Org.OData.Core.V1.AlternateKeys") continue;
          const values = a.getElementsByTagName?.("PropertyValue");
          for (let i = 0; values && i < values.length; i++) {
            const v = values.item(i) as XmlNode;
            if (attr(v, "Property") === "Alias") t.alternateKeys.push(attr(v, "String") as string);
          }
        }
        csdl.types.set(name, t);
      } else if (node.nodeName === "EnumType") {
        csdl.enums.set(`${ns}.${attr(node, "Name")}`, new Set([...children(node, "Member")].map((m) => attr(m, "Name") as string)));
      } else if (node.nodeName === "EntityContainer") {
        for (const c of children(node, "EntitySet")) csdl.entitySets.set(attr(c, "Name") as string, qualify(attr(c, "EntityType") as string));
        for (const c of children(node, "Singleton")) csdl.singletons.set(attr(c, "Name") as string, qualify(attr(c, "Type") as string));
      }
    }
  }
  cached = csdl;
  return csdl;
}

/** `graph.x` → `microsoft.graph.x`, inside `Collection(...)` too (the emulator's schema uses the alias). */
export const qualifyGraph = (type: string) => type.replace(/(^|\()graph\./, "$1microsoft.graph.");

/** The type and its bases, nearest first. */
export function chain(csdl: Csdl, name: string): CsdlType[] {
  const out: CsdlType[] = [];
  for (let t = csdl.types.get(name); t; t = t.base ? csdl.types.get(t.base) : undefined) out.push(t);
  return out;
}

export function propertyType(csdl: Csdl, typeName: string, property: string): string | undefined {
  for (const t of chain(csdl, typeName)) if (t.properties.has(property)) return t.properties.get(property);
  return undefined;
}

export function navigationType(csdl: Csdl, typeName: string, property: string): string | undefined {
  for (const t of chain(csdl, typeName)) if (t.navigation.has(property)) return t.navigation.get(property);
  return undefined;
}

export const isDerivedFrom = (csdl: Csdl, typeName: string, base: string) => chain(csdl, typeName).some((t) => t.name === base);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * Check an answer's JSON against the CSDL: every property exists on the item's type (its
 * `@odata.type`, which must derive from the declared type), with a value of that type; complex
 * values and expanded navigation properties recursively; enum values are members of their enum.
 */
export function shapeProblems(csdl: Csdl, value: unknown, typeName: string, where: string): string[] {
  const problems: string[] = [];
  const check = (v: unknown, type: string, at: string): void => {
    if (v === null) return;
    const collection = /^Collection\((.*)\)$/.exec(type);
    if (collection) {
      if (!Array.isArray(v)) return void problems.push(`${at}: expected a collection of ${collection[1]}`);
      v.forEach((item, i) => check(item, collection[1], `${at}[${i}]`));
      return;
    }
    switch (type) {
      case "Edm.String":
        if (typeof v !== "string") problems.push(`${at}: expected a string`);
        return;
      case "Edm.Boolean":
        if (typeof v !== "boolean") problems.push(`${at}: expected a boolean`);
        return;
      case "Edm.Int32":
        if (!Number.isInteger(v)) problems.push(`${at}: expected an Int32`);
        return;
      case "Edm.Guid":
        if (typeof v !== "string" || !GUID.test(v)) problems.push(`${at}: expected a GUID`);
        return;
      case "Edm.DateTimeOffset":
        if (typeof v !== "string" || !ISO.test(v)) problems.push(`${at}: expected an ISO 8601 UTC time`);
        return;
    }
    const members = csdl.enums.get(type);
    if (members) {
      if (typeof v !== "string" || !members.has(v)) problems.push(`${at}: '${String(v)}' is not a member of ${type}`);
      return;
    }
    if (typeof v !== "object" || Array.isArray(v)) return void problems.push(`${at}: expected a ${type} object`);
    let actual = type;
    const declared = (v as Record<string, unknown>)["@odata.type"];
    if (typeof declared === "string") {
      actual = declared.replace(/^#/, "");
      if (!csdl.types.has(actual)) return void problems.push(`${at}: @odata.type ${declared} is not in the CSDL`);
      if (!isDerivedFrom(csdl, actual, type)) problems.push(`${at}: ${actual} does not derive from ${type}`);
    }
    if (!csdl.types.has(actual)) return void problems.push(`${at}: type ${actual} is not in the CSDL`);
    for (const [key, child] of Object.entries(v as Record<string, unknown>)) {
      if (key.startsWith("@odata.")) continue;
      const p = propertyType(csdl, actual, key);
      if (p) {
        check(child, p, `${at}.${key}`);
        continue;
      }
      const n = navigationType(csdl, actual, key);
      if (n) check(child, n, `${at}.${key}`);
      else problems.push(`${at}.${key}: no property '${key}' on ${actual}`);
    }
  };
  check(value, typeName, where);
  return problems;
}
