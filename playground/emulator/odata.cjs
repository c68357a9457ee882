"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, so plain node, jest and Playwright load it without a build */
/**
 * The OData side of the Dataverse emulator: parse the query options of a Web API request,
 * check them against the schema as strictly as Dataverse does, and evaluate them over a Store.
 *
 * Two phases, so the caller can apply faults in between:
 *   prepare(logicalName, params)  -> a plan (throws ODataError for a query Dataverse refuses),
 *                                    with `touched`: every table the query reaches
 *   execute(store, plan, options) -> the response body
 */
const { table, tableBySet } = require("./schema.cjs");

const NS = "Microsoft.Dynamics.CRM";
const MAX_PAGE_SIZE = 5000;
const MAX_EXPANDS = 15;

class ODataError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  toBody() {
    return { error: { code: this.code, message: this.message } };
  }
}

/** Dataverse's (and the OData library's) wording, kept in one place. */
const errors = {
  /** @param {string} logicalName @param {string} name */
  noProperty: (logicalName, name) =>
    new ODataError(400, "0x0", `Could not find a property named '${name}' on type '${NS}.${logicalName}'.`),
  /** @param {string} message */
  bad: (message) => new ODataError(400, "0x0", message),
  /** @param {string} message */
  refused: (message) => new ODataError(400, "0x80060888", message),
  /** @param {string} segment */
  noSegment: (segment) => new ODataError(404, "0x80060888", `Resource not found for the segment '${segment}'.`),
  /** @param {string} logicalName @param {string} id */
  noRecord: (logicalName, id) =>
    new ODataError(404, "0x80040217", `Entity '${logicalName}' With Id = ${id} Does Not Exist`),
};

// ---------------------------------------------------------------------------------------------
// Values and types

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GUID_PREFIX_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![\w-])/i;
const DATE_PREFIX_RE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?(?![\w-])/;
const NUMBER_PREFIX_RE = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w])/;

/** @param {string | null} edm */
function family(edm) {
  switch (edm) {
    case null:
      return "null";
    case "Edm.String":
      return "string";
    case "Edm.Guid":
      return "guid";
    case "Edm.Boolean":
      return "bool";
    case "Edm.DateTimeOffset":
    case "Edm.Date":
      return "date";
    default:
      return "number";
  }
}

/** Comparable form: strings and GUIDs case-insensitive (as Dataverse compares them), dates as numbers. */
function normalize(value, fam) {
  if (value === null || value === undefined) return null;
  if (fam === "string") return String(value).toLowerCase().replace(/\s+$/, "");
  if (fam === "guid") return String(value).toLowerCase();
  if (fam === "date") return Date.parse(String(value));
  return value;
}

// ---------------------------------------------------------------------------------------------
// $filter: tokens -> syntax tree -> bound tree (checked against the schema) -> evaluation

/**
 * @param {string} text
 * @param {Record<string, string>} aliases parameter aliases (`@p1`) from the query string
 */
function tokenize(text, aliases) {
  /** @type {Array<{t: string, value?: any, edm?: string | null, pos: number}>} */
  const tokens = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    let m;
    if ((m = /^\s+/.exec(rest))) {
      i += m[0].length;
    } else if (rest[0] === "'") {
      let j = i + 1;
      let value = "";
      for (;;) {
        if (j >= text.length) throw errors.bad(`There is an unterminated string literal at position ${i} in '${text}'.`);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j++];
      }
      tokens.push({ t: "lit", value, edm: "Edm.String", pos: i });
      i = j + 1;
    } else if ((m = GUID_PREFIX_RE.exec(rest))) {
      tokens.push({ t: "lit", value: m[0].toLowerCase(), edm: "Edm.Guid", pos: i });
      i += m[0].length;
    } else if ((m = DATE_PREFIX_RE.exec(rest))) {
      tokens.push({ t: "lit", value: m[0], edm: "Edm.DateTimeOffset", pos: i });
      i += m[0].length;
    } else if ((m = NUMBER_PREFIX_RE.exec(rest))) {
      const isInt = /^-?\d+$/.test(m[0]);
      tokens.push({ t: "lit", value: Number(m[0]), edm: isInt ? "Edm.Int32" : "Edm.Decimal", pos: i });
      i += m[0].length;
    } else if ((m = /^@[A-Za-z_]\w*/.exec(rest))) {
      const raw = aliases[m[0]];
      if (raw === undefined) throw errors.bad(`No value was supplied for the parameter alias '${m[0]}'.`);
      const inner = tokenize(raw, {});
      if (inner.length !== 1 || inner[0].t !== "lit") throw errors.bad(`The parameter alias '${m[0]}' must be a literal.`);
      tokens.push({ ...inner[0], pos: i });
      i += m[0].length;
    } else if ((m = /^[A-Za-z_$][\w.$]*/.exec(rest))) {
      const word = m[0];
      if (word === "null") tokens.push({ t: "lit", value: null, edm: null, pos: i });
      else if (word === "true" || word === "false") tokens.push({ t: "lit", value: word === "true", edm: "Edm.Boolean", pos: i });
      else tokens.push({ t: "id", value: word, pos: i });
      i += word.length;
    } else if ("()/,:".includes(rest[0])) {
      tokens.push({ t: rest[0], pos: i });
      i += 1;
    } else {
      throw errors.bad(`Syntax error: character '${rest[0]}' is not valid at position ${i} in '${text}'.`);
    }
  }
  return tokens;
}

const COMPARISONS = {
  eq: "Equal",
  ne: "NotEqual",
  gt: "GreaterThan",
  ge: "GreaterThanOrEqual",
  lt: "LessThan",
  le: "LessThanOrEqual",
};

/** Recursive descent over the tokens: or > and > not > comparison > primary. */
function parseFilter(text, aliases) {
  const tokens = tokenize(text, aliases);
  let p = 0;
  const peek = (k = 0) => tokens[p + k];
  const isWord = (word, k = 0) => peek(k)?.t === "id" && peek(k).value === word;
  const fail = () => {
    const at = peek() ? peek().pos : text.length;
    return errors.bad(`Syntax error at position ${at} in '${text}'.`);
  };
  const expect = (t) => {
    if (peek()?.t !== t) throw fail();
    return tokens[p++];
  };

  function parseOr() {
    let left = parseAnd();
    while (isWord("or")) {
      p++;
      left = { type: "or", left, right: parseAnd() };
    }
    return left;
  }
  function parseAnd() {
    let left = parseNot();
    while (isWord("and")) {
      p++;
      left = { type: "and", left, right: parseNot() };
    }
    return left;
  }
  function parseNot() {
    if (isWord("not")) {
      p++;
      return { type: "not", operand: parseNot() };
    }
    return parseComparison();
  }
  function parseComparison() {
    const left = parsePrimary();
    const op = peek()?.t === "id" ? peek().value : null;
    if (op && Object.prototype.hasOwnProperty.call(COMPARISONS, op)) {
      p++;
      return { type: "cmp", op, left, right: parsePrimary() };
    }
    return left;
  }
  function parsePrimary() {
    const tok = peek();
    if (!tok) throw fail();
    if (tok.t === "(") {
      p++;
      const inner = parseOr();
      expect(")");
      return inner;
    }
    if (tok.t === "lit") {
      p++;
      return { type: "lit", value: tok.value, edm: tok.edm };
    }
    if (tok.t === "id" && peek(1)?.t === "(") {
      p += 2;
      const args = [];
      if (peek()?.t !== ")") {
        args.push(parseOr());
        while (peek()?.t === ",") {
          p++;
          args.push(parseOr());
        }
      }
      expect(")");
      return { type: "call", name: tok.value, args };
    }
    if (tok.t === "id") return parsePath();
    throw fail();
  }
  function parsePath() {
    const segments = [tokens[p++].value];
    while (peek()?.t === "/") {
      p++;
      const seg = expect("id").value;
      if ((seg === "any" || seg === "all") && peek()?.t === "(") {
        p++;
        if (peek()?.t === ")") {
          if (seg === "all") throw fail();
          p++;
          return { type: "path", segments, lambda: { kind: seg, variable: null, body: null } };
        }
        const variable = expect("id").value;
        expect(":");
        const body = parseOr();
        expect(")");
        return { type: "path", segments, lambda: { kind: seg, variable, body } };
      }
      segments.push(seg);
    }
    return { type: "path", segments, lambda: null };
  }

  const tree = parseOr();
  if (p < tokens.length) throw fail();
  return tree;
}

const STRING_FUNCTIONS = ["contains", "startswith", "endswith"];

/**
 * Resolve names against the schema. Unqualified names refer to the row being filtered (`$it`),
 * also inside a lambda, as in OData; a lambda variable brings the related table into scope.
 * @param {any} node
 * @param {{ root: string, vars: Map<string, string>, touched: Set<string> }} ctx
 */
function bind(node, ctx) {
  switch (node.type) {
    case "or":
    case "and": {
      const left = bind(node.left, ctx);
      const right = bind(node.right, ctx);
      for (const side of [left, right]) {
        if (side.edm !== "Edm.Boolean") {
          throw errors.bad(
            `A binary operator with incompatible types was detected. Found operand types '${left.edm}' and '${right.edm}' for operator kind '${node.type === "or" ? "Or" : "And"}'.`,
          );
        }
      }
      return { type: node.type, left, right, edm: "Edm.Boolean" };
    }
    case "not": {
      const operand = bind(node.operand, ctx);
      if (operand.edm !== "Edm.Boolean") throw errors.bad(`A unary operator with an incompatible type was detected. Found operand type '${operand.edm}' for operator kind 'Not'.`);
      return { type: "not", operand, edm: "Edm.Boolean" };
    }
    case "cmp": {
      const left = bind(node.left, ctx);
      const right = bind(node.right, ctx);
      const lf = family(left.edm);
      const rf = family(right.edm);
      if (lf !== "null" && rf !== "null" && lf !== rf) {
        throw errors.bad(
          `A binary operator with incompatible types was detected. Found operand types '${left.edm}' and '${right.edm}' for operator kind '${COMPARISONS[node.op]}'.`,
        );
      }
      if (left.type === "lambda" || right.type === "lambda") throw errors.bad("A lambda expression cannot be compared.");
      return { type: "cmp", op: node.op, left, right, fam: lf !== "null" ? lf : rf, edm: "Edm.Boolean" };
    }
    case "lit":
      return node;
    case "call": {
      if (!STRING_FUNCTIONS.includes(node.name)) {
        throw errors.bad(
          `An unknown function with name '${node.name}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.`,
        );
      }
      const args = node.args.map((a) => bind(a, ctx));
      if (args.length !== 2 || args.some((a) => a.edm !== "Edm.String" && a.edm !== null)) {
        throw errors.bad(
          `No function signature for the function with name '${node.name}' matches the specified arguments. The function signatures considered are: ${node.name}(Edm.String Nullable=true, Edm.String Nullable=true).`,
        );
      }
      return { type: "call", name: node.name, args, edm: "Edm.Boolean" };
    }
    case "path":
      return bindPath(node, ctx);
    default:
      throw errors.bad("Unsupported expression.");
  }
}

function bindPath(node, ctx) {
  const segs = node.segments;
  let source = "$it";
  let entity = ctx.root;
  let i = 0;
  if (ctx.vars.has(segs[0])) {
    source = segs[0];
    entity = /** @type {string} */ (ctx.vars.get(segs[0]));
    i = 1;
  } else if (segs[0] === "$it") {
    i = 1;
  }
  const from = entity;
  /** @type {string[]} */
  const navs = [];
  for (; i < segs.length; i++) {
    const name = segs[i];
    const t = table(entity);
    const isLast = i === segs.length - 1;
    if (Object.prototype.hasOwnProperty.call(t.columns, name)) {
      if (!isLast || node.lambda) {
        throw errors.bad(`The parent value for a property access of a property '${segs[i + 1] ?? node.lambda.kind}' is not a single value. Property access can only be applied to a single value.`);
      }
      return { type: "prop", source, navs, from, column: name, edm: t.columns[name] };
    }
    const nav = t.navigation[name];
    if (!nav) throw errors.noProperty(entity, name);
    ctx.touched.add(nav.target);
    if (nav.kind === "ManyToOne") {
      if (isLast && !node.lambda) return { type: "prop", source, navs, from, column: nav.column, edm: "Edm.Guid" };
      navs.push(name);
      entity = nav.target;
      continue;
    }
    if (isLast && node.lambda) {
      const { kind, variable, body } = node.lambda;
      const vars = new Map(ctx.vars);
      if (variable) vars.set(variable, nav.target);
      const boundBody = body ? bind(body, { ...ctx, vars }) : null;
      if (boundBody && boundBody.edm !== "Edm.Boolean") throw errors.bad(`The expression of the '${kind}' lambda must evaluate to a single boolean value.`);
      return { type: "lambda", source, navs, from, owner: entity, nav: name, kind, variable, body: boundBody, edm: "Edm.Boolean" };
    }
    throw errors.bad(
      `The parent value for a property access of a property '${segs[i + 1] ?? name}' is not a single value. Property access can only be applied to a single value.`,
    );
  }
  throw errors.bad(`The path '${segs.join("/")}' does not name a property.`);
}

/**
 * @param {any} node bound tree
 * @param {Map<string, any>} env `$it` and lambda variables -> rows
 * @param {import("./store.cjs").Store} store
 * @returns {any}
 */
function evaluate(node, env, store) {
  switch (node.type) {
    case "or":
      return evaluate(node.left, env, store) === true || evaluate(node.right, env, store) === true;
    case "and":
      return evaluate(node.left, env, store) === true && evaluate(node.right, env, store) === true;
    case "not":
      return !evaluate(node.operand, env, store);
    case "lit":
      return node.value;
    case "prop": {
      const row = walk(store, node.from, env.get(node.source), node.navs);
      const value = row ? row[node.column] : null;
      return value === undefined ? null : value;
    }
    case "cmp": {
      const a = normalize(evaluate(node.left, env, store), node.fam);
      const b = normalize(evaluate(node.right, env, store), node.fam);
      if (node.op === "eq") return a === b;
      if (node.op === "ne") return a !== b;
      if (a === null || b === null) return false;
      if (node.op === "gt") return a > b;
      if (node.op === "ge") return a >= b;
      if (node.op === "lt") return a < b;
      return a <= b;
    }
    case "call": {
      const [a, b] = node.args.map((arg) => normalize(evaluate(arg, env, store), "string"));
      if (a === null || b === null) return false;
      if (node.name === "contains") return a.includes(b);
      if (node.name === "startswith") return a.startsWith(b);
      return a.endsWith(b);
    }
    case "lambda": {
      const owner = walk(store, node.from, env.get(node.source), node.navs);
      if (!owner) return node.kind === "all";
      const related = store.related(node.owner, owner, node.nav);
      const test = (row) => {
        if (!node.body) return true;
        const inner = new Map(env);
        inner.set(node.variable, row);
        return evaluate(node.body, inner, store) === true;
      };
      return node.kind === "any" ? related.some(test) : related.every(test);
    }
    default:
      throw new Error(`cannot evaluate ${node.type}`);
  }
}

/** Follow single-valued navigation properties from a row (null when a lookup is empty). */
function walk(store, entity, row, navs) {
  let current = row;
  let currentEntity = entity;
  for (const nav of navs) {
    if (!current) return null;
    current = store.lookup(currentEntity, current, nav);
    currentEntity = table(currentEntity).navigation[nav].target;
  }
  return current ?? null;
}

// ---------------------------------------------------------------------------------------------
// $select, $orderby, $top, $expand

/** Split on a separator outside parentheses and string literals. */
function splitTop(text, sep) {
  const parts = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") inString = !inString;
    else if (!inString && c === "(") depth++;
    else if (!inString && c === ")") depth--;
    else if (!inString && depth === 0 && c === sep) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0 || inString) throw errors.bad(`Syntax error: unbalanced parentheses or quotes in '${text}'.`);
  parts.push(text.slice(start));
  return parts.map((s) => s.trim());
}

function parseSelect(text, entity) {
  const t = table(entity);
  const names = text.split(",").map((s) => s.trim());
  for (const name of names) {
    if (!name) throw errors.bad(`Syntax error: empty property name in $select '${text}'.`);
    if (name === "*") continue;
    if (!Object.prototype.hasOwnProperty.call(t.columns, name)) throw errors.noProperty(entity, name);
  }
  return names.includes("*") ? null : names;
}

function parseOrderBy(text, entity) {
  const t = table(entity);
  return text.split(",").map((part) => {
    const m = /^\s*([\w]+)(?:\s+(asc|desc))?\s*$/.exec(part);
    if (!m) throw errors.bad(`Syntax error in $orderby '${text}'.`);
    if (!Object.prototype.hasOwnProperty.call(t.columns, m[1])) throw errors.noProperty(entity, m[1]);
    return { column: m[1], desc: m[2] === "desc", fam: family(t.columns[m[1]]) };
  });
}

function parseTop(text) {
  if (!/^\d+$/.test(text.trim())) {
    throw errors.bad(`Invalid value '${text}' for $top query option found. The $top query option requires a non-negative integer value.`);
  }
  return Number(text);
}

const EXPAND_OPTIONS = ["$select", "$filter", "$orderby", "$top", "$expand"];

/** @returns {any[]} expand items: { name, nav, entity, select, filter, orderby, top, expand } */
function parseExpand(text, entity, ctx) {
  const t = table(entity);
  return splitTop(text, ",").map((item) => {
    const m = /^([^()]+?)\s*(?:\((.*)\))?$/s.exec(item);
    if (!m || !m[1]) throw errors.bad(`Syntax error in $expand '${text}'.`);
    const name = m[1];
    if (name.includes("/")) {
      throw errors.bad(
        "Found a path with multiple navigation properties or a bad complex property path in a select clause. Please reword your query such that each level of select or expand only contains either TypeSegments or Properties.",
      );
    }
    if (Object.prototype.hasOwnProperty.call(t.columns, name)) {
      throw errors.bad(`Property '${name}' on type '${NS}.${entity}' is not a navigation property or complex property. Only navigation properties can be expanded.`);
    }
    const nav = t.navigation[name];
    if (!nav) throw errors.noProperty(entity, name);
    ctx.touched.add(nav.target);
    const options = {};
    if (m[2] !== undefined && m[2].trim() !== "") {
      for (const opt of splitTop(m[2], ";")) {
        const eq = opt.indexOf("=");
        const key = (eq < 0 ? opt : opt.slice(0, eq)).trim().toLowerCase();
        if (!EXPAND_OPTIONS.includes(key)) throw errors.refused(`The query option '${key}' is not supported in $expand.`);
        if (key in options) throw errors.bad(`Query option '${key}' was specified more than once, but it must be specified at most once.`);
        options[key] = opt.slice(eq + 1);
      }
    }
    const expanded = {
      name,
      nav,
      entity: nav.target,
      select: options.$select !== undefined ? parseSelect(options.$select, nav.target) : null,
      filter:
        options.$filter !== undefined
          ? bindTop(parseFilter(options.$filter, ctx.aliases), { root: nav.target, vars: new Map(), touched: ctx.touched })
          : null,
      orderby: options.$orderby !== undefined ? parseOrderBy(options.$orderby, nav.target) : null,
      top: options.$top !== undefined ? parseTop(options.$top) : null,
      expand: options.$expand !== undefined ? parseExpand(options.$expand, nav.target, ctx) : [],
    };
    return expanded;
  });
}

function bindTop(tree, ctx) {
  const bound = bind(tree, ctx);
  if (bound.edm !== "Edm.Boolean") throw errors.bad("The $filter expression must evaluate to a single boolean value.");
  return bound;
}

/** Refuse the expansions Dataverse refuses (see the Web API "Join tables" documentation). */
function checkExpandRules(items) {
  const all = [];
  const collect = (list, depth) => {
    for (const item of list) {
      all.push({ item, depth });
      collect(item.expand, depth + 1);
    }
  };
  collect(items, 0);
  if (all.length > MAX_EXPANDS) {
    throw errors.refused(`Number of link entities in query exceeded maximum limit. The query has ${all.length} $expand options; at most ${MAX_EXPANDS} are allowed.`);
  }
  const nested = all.some(({ depth }) => depth > 0);
  for (const { item } of all) {
    if (nested && item.nav.kind === "ManyToMany") {
      throw errors.refused(`The navigation property '${item.name}' cannot be expanded. Only many-to-one relationships are supported for nested expansion.`);
    }
    if ((item.top !== null || item.orderby !== null) && (nested || item.nav.kind === "ManyToOne")) {
      throw errors.refused(
        "Only $select and $filter clause can be provided while doing $expand on many-to-one relationship or nested one-to-many relationship.",
      );
    }
  }
  return nested;
}

// ---------------------------------------------------------------------------------------------
// Plans

const TOP_OPTIONS = ["$select", "$filter", "$expand", "$orderby", "$top", "$skiptoken", "$count"];
const REFUSED_OPTIONS = {
  $skip: "The query parameter $skip is not supported",
  $apply: "The query parameter $apply is not supported by this emulator",
  $search: "The query parameter $search is not supported",
  $levels: "The query parameter $levels is not supported",
};

/**
 * Check the query options of a request on one table.
 * @param {string} entity logical name
 * @param {Array<[string, string]>} params decoded query parameters, in order
 * @param {{ single?: boolean }} [shape]
 */
function prepare(entity, params, shape = {}) {
  /** @type {Record<string, string>} */
  const options = {};
  /** @type {Record<string, string>} */
  const aliases = {};
  for (const [rawKey, value] of params) {
    if (rawKey.startsWith("@")) {
      aliases[rawKey] = value;
      continue;
    }
    if (!rawKey.startsWith("$")) continue; // custom query options are ignored, as in OData
    const key = rawKey.toLowerCase();
    if (REFUSED_OPTIONS[key]) throw errors.refused(REFUSED_OPTIONS[key]);
    if (!TOP_OPTIONS.includes(key)) throw errors.bad(`The query parameter '${rawKey}' is not supported.`);
    if (key in options) throw errors.bad(`Query option '${rawKey}' was specified more than once, but it must be specified at most once.`);
    options[key] = value;
  }
  const touched = new Set([entity]);
  const ctx = { touched, aliases };
  const plan = {
    entity,
    single: Boolean(shape.single),
    select: options.$select !== undefined ? parseSelect(options.$select, entity) : null,
    filter:
      options.$filter !== undefined ? bindTop(parseFilter(options.$filter, aliases), { root: entity, vars: new Map(), touched }) : null,
    expand: options.$expand !== undefined ? parseExpand(options.$expand, entity, ctx) : [],
    orderby: options.$orderby !== undefined ? parseOrderBy(options.$orderby, entity) : null,
    top: options.$top !== undefined ? parseTop(options.$top) : null,
    skiptoken: options.$skiptoken ?? null,
    count: options.$count !== undefined ? options.$count.trim() === "true" : false,
    nestedExpand: false,
    params: params.filter(([k]) => k.toLowerCase() !== "$skiptoken"),
    /** Logical names of every table the request reads (privilege checks apply to each). */
    touched: [],
  };
  plan.nestedExpand = checkExpandRules(plan.expand);
  plan.touched = [...touched];
  return plan;
}

// ---------------------------------------------------------------------------------------------
// Execution

function sortRows(rows, orderby) {
  if (!orderby) return rows;
  return [...rows].sort((x, y) => {
    for (const { column, desc, fam } of orderby) {
      const a = normalize(x[column], fam);
      const b = normalize(y[column], fam);
      if (a === b) continue;
      // nulls first ascending, as SQL Server sorts them
      const cmp = a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;
      return desc ? -cmp : cmp;
    }
    return 0;
  });
}

function filterRows(store, entity, rows, filter) {
  if (!filter) return rows;
  return rows.filter((row) => evaluate(filter, new Map([["$it", row]]), store) === true);
}

/** Query options back into a query string (for nextLinks). */
function encodeParams(params) {
  return params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
}

function makeSkiptoken(entity, page, first, last) {
  const pk = table(entity).primaryKey;
  const inner = `<cookie page="${page}"><${pk} last="{${last.toUpperCase()}}" first="{${first.toUpperCase()}}" /></cookie>`;
  return `<cookie pagenumber="${page + 1}" pagingcookie="${encodeURIComponent(inner)}" istracking="False" />`;
}

function readSkiptoken(token) {
  const page = /pagenumber="(\d+)"/.exec(token);
  const cookie = /pagingcookie="([^"]*)"/.exec(token);
  if (!page || !cookie) throw errors.bad(`The $skiptoken '${token}' is not valid.`);
  let inner = cookie[1];
  try {
    inner = decodeURIComponent(inner);
  } catch {
    throw errors.bad(`The $skiptoken '${token}' is not valid.`);
  }
  const last = /last="\{([0-9a-f-]{36})\}"/i.exec(inner);
  return { page: Number(page[1]), last: last ? last[1].toLowerCase() : null };
}

/**
 * Project a row: selected columns (all when none selected), the primary key, an etag,
 * lookup annotations when asked for, and expansions.
 */
function project(store, entity, row, select, expand, opts) {
  const t = table(entity);
  /** @type {Record<string, any>} */
  const out = { "@odata.etag": `W/"${store.version(entity, row[t.primaryKey])}"` };
  const columns = select ?? Object.keys(t.columns);
  for (const column of columns) {
    const value = row[column] === undefined ? null : row[column];
    if (opts.annotations && value !== null) {
      const nav = Object.entries(t.navigation).find(([, n]) => n.kind === "ManyToOne" && n.column === column);
      if (nav) {
        const target = table(nav[1].target);
        const related = store.get(nav[1].target, value);
        if (related) out[`${column}@OData.Community.Display.V1.FormattedValue`] = related[target.primaryName] ?? null;
        out[`${column}@Microsoft.Dynamics.CRM.associatednavigationproperty`] = nav[0];
        out[`${column}@Microsoft.Dynamics.CRM.lookuplogicalname`] = nav[1].target;
      } else if (t.columns[column] === "Edm.Boolean") {
        out[`${column}@OData.Community.Display.V1.FormattedValue`] = value ? "Yes" : "No";
      }
    }
    out[column] = value;
  }
  out[t.primaryKey] = row[t.primaryKey];
  for (const item of expand) {
    if (item.nav.kind === "ManyToOne") {
      const related = store.lookup(entity, row, item.name);
      const passes = related && (!item.filter || filterRows(store, item.entity, [related], item.filter).length === 1);
      out[item.name] = passes ? project(store, item.entity, related, item.select, item.expand, opts) : null;
    } else {
      let related = filterRows(store, item.entity, store.related(entity, row, item.name), item.filter);
      related = sortRows(related, item.orderby).slice(0, Math.min(item.top ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE));
      out[item.name] = related.map((r) => project(store, item.entity, r, item.select, item.expand, opts));
      const inner = [];
      if (item.select) inner.push(`$select=${item.select.join(",")}`);
      const query = inner.length ? `?${inner.join("&")}` : "";
      out[`${item.name}@odata.nextLink`] = `${opts.baseUrl}${t.entitySet}(${row[t.primaryKey]})/${item.name}${query}`;
    }
  }
  return out;
}

/** `$metadata#roles(name,businessunitid(name))` */
function contextSuffix(select, expand) {
  const parts = [...(select ?? [])];
  for (const item of expand) parts.push(`${item.name}(${contextSuffix(item.select, item.expand) || ""})`);
  return parts.join(",");
}

/**
 * @param {import("./store.cjs").Store} store
 * @param {ReturnType<typeof prepare>} plan
 * @param {{ baseUrl: string, path: string, contextSet?: string, rows?: any[], pageSize?: number | null, annotations?: boolean }} opts
 *   `baseUrl` ends with `/api/data/v9.2/`; `path` is the resource path for nextLinks; `rows` the
 *   rows to query (default: the whole table).
 * @returns {{ body: any, pageSizeApplied: number | null }}
 */
function execute(store, plan, opts) {
  const t = table(plan.entity);
  const suffix = contextSuffix(plan.select, plan.expand);
  const contextSet = opts.contextSet ?? t.entitySet;
  const context = `${opts.baseUrl}$metadata#${contextSet}${suffix ? `(${suffix})` : ""}`;
  const projectOpts = { baseUrl: opts.baseUrl, annotations: Boolean(opts.annotations) };

  if (plan.single) {
    const row = (opts.rows ?? [])[0];
    return {
      body: { "@odata.context": `${context}/$entity`, ...project(store, plan.entity, row, plan.select, plan.expand, projectOpts) },
      pageSizeApplied: null,
    };
  }

  let rows = filterRows(store, plan.entity, opts.rows ?? store.rows(plan.entity), plan.filter);
  rows = sortRows(rows, plan.orderby);
  const total = rows.length;

  // Dataverse: with `Prefer: odata.maxpagesize`, $top is ignored (Web API "Page results" documentation).
  const pageSize = opts.pageSize ? Math.min(opts.pageSize, MAX_PAGE_SIZE) : null;
  let page = rows;
  let nextLink = null;
  if (pageSize === null && plan.top !== null) {
    page = rows.slice(0, plan.top);
  } else {
    const size = pageSize ?? MAX_PAGE_SIZE;
    let start = 0;
    let pageNumber = 1;
    if (plan.skiptoken) {
      const token = readSkiptoken(plan.skiptoken);
      pageNumber = token.page;
      const at = token.last ? rows.findIndex((r) => String(r[t.primaryKey]).toLowerCase() === token.last) : -1;
      start = at >= 0 ? at + 1 : (token.page - 1) * size;
    }
    page = rows.slice(start, start + size);
    if (start + size < rows.length) {
      const token = makeSkiptoken(plan.entity, pageNumber, page[0][t.primaryKey], page[page.length - 1][t.primaryKey]);
      const query = encodeParams([...plan.params, ["$skiptoken", token]]);
      nextLink = `${opts.baseUrl}${opts.path}?${query}`;
    }
  }

  /** @type {Record<string, any>} */
  const body = { "@odata.context": context };
  if (plan.count) body["@odata.count"] = total;
  body.value = page.map((row) => project(store, plan.entity, row, plan.select, plan.expand, projectOpts));
  if (nextLink) body["@odata.nextLink"] = nextLink;
  return { body, pageSizeApplied: pageSize };
}

module.exports = {
  ODataError,
  errors,
  GUID_RE,
  MAX_PAGE_SIZE,
  parseFilter,
  prepare,
  execute,
  tableBySet,
};
