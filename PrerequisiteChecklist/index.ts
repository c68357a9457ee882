import { GlobalSettings, ThemeProvider, registerIcons } from "@fluentui/react";
import * as React from "react";
import { ChecklistApp } from "./components/ChecklistApp";
import { linkHref } from "./components/links";
import { languageTag } from "./components/locale";
import { createStrings } from "./components/strings";
import { themeFromHost } from "./components/theme";
import type { LinkTarget } from "./checklist/types";
import { createEnvironmentReader } from "./dataverse/reader";
import { createSameOriginGetJson } from "./dataverse/sameOriginGetJson";
import type { IInputs, IOutputs } from "./generated/ManifestTypes";
import { ChecklistSession } from "./session";
import { CONTROL_VERSION } from "./version";

type Context = ComponentFramework.Context<IInputs>;

/** No theme of the host's own: the parent's theme, unchanged (a constant, so Fluent keeps its merged theme). */
const NO_THEME = {};

/** What model-driven forms add to the context beyond the typed API: the host record and the environment URL. */
interface HostContext {
  mode: { contextInfo?: { entityId?: string; entityTypeName?: string } };
  page?: { entityId?: string; entityTypeName?: string; getClientUrl?: () => string };
}

/** The PCF lifecycle only: context in, a session and a React element out. */
export class PrerequisiteChecklist implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private session!: ChecklistSession;
  private environmentUrl = "";
  private readonly stopReading = new AbortController();

  public init(context: Context, notifyOutputChanged: () => void): void {
    this.environmentUrl = environmentUrlOf(context);
    registerMissingIcons();
    this.session = new ChecklistSession({
      reader: createEnvironmentReader({
        webApi: context.webAPI,
        getJson: createSameOriginGetJson(this.environmentUrl),
        signal: this.stopReading.signal,
      }),
      readSavedValue: savedValueReader(context),
      currentUser: { id: context.userSettings.userId, name: context.userSettings.userName },
      now: () => new Date(),
      notifyOutputChanged,
    });
  }

  public updateView(context: Context): React.ReactElement {
    const bound = context.parameters.checklistState;
    this.session.update({
      value: bound.raw,
      properties: {
        serviceAccountUpn: context.parameters.serviceAccountUpn?.raw,
        work365SolutionName: context.parameters.work365SolutionName?.raw,
        adminProfileName: context.parameters.adminProfileName?.raw,
        salesRoleName: context.parameters.salesRoleName?.raw,
      },
      maxLength: bound.attributes?.MaxLength,
    });
    // Re-read on every call: forms change both at run time (field security, business rules).
    const readOnly = context.mode.isControlDisabled || bound.security?.editable === false;
    const app = React.createElement(ChecklistApp, {
      session: this.session,
      strings: createStrings(
        (key) => context.resources.getString(key),
        (date) => context.formatting.formatDateShort(date, true),
        // A key missing in the user's resx reads in English: render again once that is unpacked.
        () => context.factory.requestRender(),
      ),
      readOnly,
      environmentUrl: this.environmentUrl,
      controlVersion: CONTROL_VERSION,
      open: (target) => open(context, this.environmentUrl, target),
      copyText,
      now: () => new Date(),
    });
    const theme = themeFromHost(context.fluentDesignLanguage?.tokenTheme as Record<string, string> | undefined);
    // Right to left through Fluent's theme, for this control only: setRTL would turn the whole page
    // (the platform's Fluent is shared). The root also carries the user's language and direction.
    const rtl = context.userSettings.isRTL === true;
    return React.createElement(
      ThemeProvider,
      {
        theme: rtl ? { ...theme, rtl } : (theme ?? NO_THEME),
        applyTo: theme ? "element" : "none",
        dir: rtl ? "rtl" : "ltr",
        lang: languageTag(context.userSettings.languageId),
      },
      app,
    );
  }

  public getOutputs(): IOutputs {
    return { checklistState: this.session.output };
  }

  public destroy(): void {
    this.stopReading.abort();
    this.session.destroy();
  }
}

function environmentUrlOf(context: Context): string {
  const page = (context as unknown as HostContext).page;
  return page?.getClientUrl?.() ?? window.location.origin;
}

/** Reads the bound column from the form's own record, so a write can merge what others saved. */
function savedValueReader(context: Context): (() => Promise<string | null>) | undefined {
  const host = context as unknown as HostContext;
  const entityId = host.mode.contextInfo?.entityId ?? host.page?.entityId;
  const entityName = host.mode.contextInfo?.entityTypeName ?? host.page?.entityTypeName;
  const column = context.parameters.checklistState.attributes?.LogicalName;
  if (!entityId || !entityName || !column) return undefined;
  return async () => {
    const record = await context.webAPI.retrieveRecord(entityName, entityId.replace(/[{}]/g, ""), `?$select=${column}`);
    const value = record[column];
    return typeof value === "string" ? value : null;
  };
}

function open(context: Context, environmentUrl: string, target: LinkTarget): void {
  if (target.kind === "record") {
    void context.navigation.openForm({ entityName: target.entityName, entityId: target.id, openInNewWindow: true });
  } else {
    context.navigation.openUrl(linkHref(target, environmentUrl));
  }
}

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) return navigator.clipboard.writeText(text);
  // Older hosts: a hidden text area and the copy command.
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  const copied = document.execCommand("copy");
  document.body.removeChild(area);
  if (!copied) throw new Error("copy refused");
}

/**
 * Fluent 8 draws the checkbox tick and the message bar icons from an icon font loaded from a
 * CDN. Where the host has not registered them, register inline SVG instead.
 */
function registerMissingIcons(): void {
  const svg = (d: string) => React.createElement("svg", { viewBox: "0 0 16 16", width: "1em", height: "1em", fill: "currentColor" }, React.createElement("path", { d }));
  const icons: Record<string, React.ReactElement> = {
    CheckMark: svg("M6.5 11.3 3.2 8l-1 1 4.3 4.3L14 5.8l-1-1z"),
    Info: svg("M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm.7 11H7.3V7h1.4zm0-6.3H7.3V4.3h1.4z"),
    Warning: svg("M8 1 .5 15h15zm-.7 5h1.4v4.5H7.3zm0 5.8h1.4v1.4H7.3z"),
    Clear: svg("M4 3 3 4l4 4-4 4 1 1 4-4 4 4 1-1-4-4 4-4-1-1-4 4z"),
  };
  // Fluent keeps registered icons under lower-case names in its global settings; asking getIcon would log a warning.
  const registered = GlobalSettings.getValue<Record<string, unknown>>("icons", {});
  const missing = Object.fromEntries(Object.entries(icons).filter(([name]) => !registered[name.toLowerCase()]));
  if (Object.keys(missing).length) registerIcons({ icons: missing });
}
