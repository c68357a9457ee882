import {
  Checkbox,
  ChoiceGroup,
  DefaultButton,
  Link,
  MessageBar,
  MessageBarType,
  PrimaryButton,
  Spinner,
  SpinnerSize,
  Stack,
  Text,
  TextField,
  type IChoiceGroupOption,
} from "@fluentui/react";
import * as React from "react";
import { GROUPS } from "../checklist/catalogue";
import type { Evaluation, ItemResult, PartView } from "../checklist/evaluate";
import { STAGE_KEYS, STATUS_KEYS } from "../checklist/report";
import type { ParsedState, SettingsChange } from "../checklist/state";
import type { ChecklistSettings, Link as ChecklistLink, LinkTarget, Message } from "../checklist/types";
import { LAYOUT } from "./layout";
import { StatusIcon } from "./StatusIcon";
import type { Strings } from "./strings";

export interface ChecklistViewProps {
  strings: Strings;
  evaluation: Evaluation | null;
  settings: ChecklistSettings;
  checking: boolean;
  checkedAt: string | null;
  readOnly: boolean;
  stored: ParsedState;
  unsaved: boolean;
  notice: Message | null;
  copyResult: "copied" | "failed" | null;
  onCheckAgain(): void;
  onConfirm(key: string, confirmed: boolean, answer?: "assigned" | "none"): void;
  onChangeSettings(change: SettingsChange): void;
  onReset(): void;
  onOpen(target: LinkTarget): void;
  hrefOf(target: LinkTarget): string;
  onCopyReport(): void;
}

const gap = { childrenGap: 8 };

export const ChecklistView: React.FC<ChecklistViewProps> = (props) => {
  const { strings, evaluation } = props;
  return (
    <Stack tokens={{ childrenGap: 16 }} className={`w365-checklist ${LAYOUT.root}`} data-stage={evaluation?.stage ?? "loading"}>
      <StoredStateWarning {...props} />
      {props.notice && <MessageBar messageBarType={MessageBarType.warning}>{strings.format(props.notice)}</MessageBar>}
      {props.readOnly && <MessageBar>{strings.get("Text_ReadOnly")}</MessageBar>}
      {props.unsaved && (
        <MessageBar messageBarType={MessageBarType.info} data-unsaved="">
          {strings.get("Text_Unsaved")}
        </MessageBar>
      )}
      <Summary {...props} />
      <GraphReading {...props} />
      <Settings {...props} />
      {evaluation ? (
        GROUPS.map((group) => (
          <Stack key={group.id} tokens={gap} as="section" aria-label={strings.get(group.titleKey)} data-group={group.id}>
            <Text as="h3" variant="large" styles={{ root: { margin: 0 } }}>
              {strings.get(group.titleKey)}
            </Text>
            <Stack as="ul" tokens={gap} styles={{ root: { listStyle: "none", margin: 0, padding: 0 } }}>
              {evaluation.items
                .filter((item) => item.group === group.id)
                .map((item) => (
                  <ItemRow key={item.id} item={item} {...props} />
                ))}
            </Stack>
          </Stack>
        ))
      ) : (
        <Spinner size={SpinnerSize.large} label={strings.get("Text_Loading")} />
      )}
    </Stack>
  );
};

const StoredStateWarning: React.FC<ChecklistViewProps> = ({ stored, strings, readOnly, onReset }) => {
  if (stored.kind === "ok") {
    if (stored.ignoredSettings.length === 0) return null;
    return (
      <MessageBar messageBarType={MessageBarType.warning}>
        {strings.format({ key: "Stored_IgnoredSettings", args: { names: stored.ignoredSettings.join(", ") } })}
      </MessageBar>
    );
  }
  const key = stored.kind === "newer-version" ? "Stored_NewerVersion" : stored.kind === "not-json" ? "Stored_NotJson" : "Stored_NotAChecklist";
  return (
    <MessageBar
      messageBarType={MessageBarType.severeWarning}
      actions={readOnly ? undefined : <DefaultButton onClick={onReset} text={strings.get("Button_Reset")} />}
      data-stored-state={stored.kind}
    >
      {strings.format({ key, args: stored.kind === "newer-version" ? { version: stored.version } : undefined })}
    </MessageBar>
  );
};

const Summary: React.FC<ChecklistViewProps> = (props) => {
  const { strings, evaluation, checking, checkedAt } = props;
  const firstBlocker = evaluation?.items.find((item) => item.id === evaluation.blockers[0]);
  return (
    <Stack tokens={gap} as="section" aria-label={strings.get("Summary_Label")} data-summary="">
      {evaluation && (
        <>
          <Text as="h2" variant="xLarge" styles={{ root: { margin: 0 } }} data-headline={evaluation.headline.key}>
            {strings.format(evaluation.headline)}
          </Text>
          <Text>
            {strings.get("Summary_Stage")}: <strong>{strings.get(STAGE_KEYS[evaluation.stage])}</strong> — {strings.format(evaluation.stageReason)}
          </Text>
          {firstBlocker && (
            <Text data-next-item={firstBlocker.id}>
              {strings.get("Summary_Next")}: <strong>{strings.get(firstBlocker.titleKey)}</strong>
              {firstBlocker.action && (
                <>
                  {" — "}
                  <ActionLink link={firstBlocker.action} {...props} />
                </>
              )}
            </Text>
          )}
          <Text data-counts="">
            {strings.format({
              key: "Summary_Counts",
              args: {
                done: evaluation.counts.done,
                toDo: evaluation.counts.toDo,
                needsYou: evaluation.counts.needsYou,
                later: evaluation.counts.later,
              },
            })}
            {evaluation.counts.recommendationsOpen > 0 &&
              ` ${strings.format({ key: "Summary_Recommendations", args: { count: evaluation.counts.recommendationsOpen } })}`}
          </Text>
        </>
      )}
      <div className={LAYOUT.buttons}>
        <PrimaryButton
          onClick={props.onCheckAgain}
          disabled={checking}
          text={strings.get(checking ? "Button_Checking" : "Button_CheckAgain")}
          data-action="check-again"
        />
        <DefaultButton onClick={props.onCopyReport} disabled={!evaluation} text={strings.get("Button_CopyReport")} data-action="copy-report" />
        {checking && <Spinner size={SpinnerSize.small} ariaLabel={strings.get("Button_Checking")} />}
        {checkedAt && <Text data-checked-at={checkedAt}>{strings.format({ key: "Text_LastChecked", args: { time: { time: checkedAt } } })}</Text>}
        <span role="status">{props.copyResult && <Text>{strings.get(props.copyResult === "copied" ? "Text_Copied" : "Text_CopyFailed")}</Text>}</span>
      </div>
    </Stack>
  );
};

const Settings: React.FC<ChecklistViewProps> = ({ strings, settings, readOnly, stored, onChangeSettings }) => {
  const locked = readOnly || stored.kind !== "ok";
  const tierOptions: IChoiceGroupOption[] = [
    { key: "indirect", text: strings.get("Tier_Indirect") },
    { key: "direct", text: strings.get("Tier_Direct") },
  ];
  const modeOptions: IChoiceGroupOption[] = [
    { key: "install", text: strings.get("Mode_Install") },
    { key: "upgrade", text: strings.get("Mode_Upgrade") },
  ];
  return (
    <section className={LAYOUT.settings} aria-label={strings.get("Settings_Label")}>
      <UpnField strings={strings} settings={settings} disabled={locked} onCommit={(upn) => onChangeSettings({ serviceAccountUpn: upn })} />
      <ChoiceGroup
        label={strings.get("Settings_PartnerTier")}
        options={tierOptions}
        selectedKey={settings.partnerTier}
        disabled={locked}
        onChange={(_, option) => option && onChangeSettings({ partnerTier: option.key as ChecklistSettings["partnerTier"] })}
        data-setting="partner-tier"
      />
      <ChoiceGroup
        label={strings.get("Settings_Mode")}
        options={modeOptions}
        selectedKey={settings.mode}
        disabled={locked}
        onChange={(_, option) => option && onChangeSettings({ mode: option.key as ChecklistSettings["mode"] })}
        data-setting="mode"
      />
    </section>
  );
};

/** Typed by the admin when the form supplies no UPN; committed on Enter or when focus leaves. */
const UpnField: React.FC<{ strings: Strings; settings: ChecklistSettings; disabled: boolean; onCommit(upn: string): void }> = ({
  strings,
  settings,
  disabled,
  onCommit,
}) => {
  const [draft, setDraft] = React.useState(settings.serviceAccountUpn);
  React.useEffect(() => setDraft(settings.serviceAccountUpn), [settings.serviceAccountUpn]);
  if (settings.upnFromForm) {
    return (
      <Stack data-setting="upn">
        <Text variant="medium" styles={{ root: { fontWeight: 600 } }}>
          {strings.get("Settings_Upn")}
        </Text>
        <Text>{settings.serviceAccountUpn}</Text>
        <Text variant="small">{strings.get("Settings_UpnFromForm")}</Text>
      </Stack>
    );
  }
  const commit = () => {
    if (draft.trim() !== settings.serviceAccountUpn) onCommit(draft.trim());
  };
  return (
    <TextField
      label={strings.get("Settings_Upn")}
      placeholder={strings.get("Settings_UpnPlaceholder")}
      description={strings.get("Settings_UpnHint")}
      value={draft}
      disabled={disabled}
      onChange={(_, value) => setDraft(value ?? "")}
      onBlur={commit}
      onKeyDown={(event) => event.key === "Enter" && commit()}
      styles={{ root: { minWidth: "min(280px, 100%)" } }}
      data-setting="upn"
    />
  );
};

const ItemRow: React.FC<ChecklistViewProps & { item: ItemResult }> = (props) => {
  const { item, strings } = props;
  const statusText = strings.get(STATUS_KEYS[item.status]);
  return (
    <li data-item-id={item.id} data-status={item.status} data-source={item.source} aria-label={`${strings.get(item.titleKey)}: ${statusText}`}>
      {/* Status beside the text; above it when the control is narrow (layout.ts). */}
      <div className={LAYOUT.row}>
        <div className={LAYOUT.status}>
          <StatusIcon status={item.status} />
          <Text styles={{ root: { fontWeight: 600 } }} data-status-text="">
            {statusText}
          </Text>
        </div>
        <Stack tokens={{ childrenGap: 4 }} className={LAYOUT.text}>
          <Text styles={{ root: { fontWeight: 600 } }}>{strings.get(item.titleKey)}</Text>
          <Text data-reason="">{strings.format(item.reason)}</Text>
          <SourceLine {...props} />
          {item.evidence.map((evidence, index) => (
            <Text key={index} variant="small" data-evidence="">
              {strings.format(evidence)}
            </Text>
          ))}
          {item.id === "premium-licences" ? (
            <PremiumAnswer {...props} />
          ) : (
            // Parts of an item that does not apply (Partner Center for 2-Tier) are not asked for.
            item.status !== "not-applicable" && item.parts.map((part) => <PartCheckbox key={part.key} part={part} {...props} />)
          )}
          <div className={LAYOUT.links}>
            {item.action && <ActionLink link={item.action} {...props} />}
            <ActionLink link={item.help} {...props} />
          </div>
        </Stack>
      </div>
    </li>
  );
};

const PartCheckbox: React.FC<ChecklistViewProps & { part: PartView; item: ItemResult }> = ({ part, item, strings, readOnly, stored, onConfirm }) => (
  <Stack tokens={{ childrenGap: 2 }} data-part={part.key} data-status={part.status} data-source={part.source}>
    <Checkbox
      label={strings.get(part.labelKey)}
      checked={part.checked}
      // A step that cannot be taken yet (consent before Work 365 is found, Global Admin removed before consent) is not ticked yet; a tick already given can still be taken back.
      disabled={readOnly || stored.kind !== "ok" || ((item.status === "pending" || part.status === "pending") && !part.checked)}
      onChange={(_, checked) => onConfirm(part.key, !!checked)}
    />
    <ConfirmedBy part={part} strings={strings} />
    {item.parts.length > 1 && <PartReading part={part} strings={strings} />}
  </Stack>
);

/** `premium-licences` is answered, not ticked: assigned, or the tenant has none. */
const PremiumAnswer: React.FC<ChecklistViewProps & { item: ItemResult }> = ({ item, strings, readOnly, stored, onConfirm }) => {
  const part = item.parts[0];
  const answer = part.entry?.confirmed ? part.entry.answer : undefined;
  return (
    <Stack tokens={{ childrenGap: 2 }} data-part={part.key} data-status={part.status} data-source={part.source}>
      <ChoiceGroup
        label={strings.get(part.labelKey)}
        selectedKey={answer ?? null}
        disabled={readOnly || stored.kind !== "ok"}
        options={[
          { key: "assigned", text: strings.get("Answer_Assigned") },
          { key: "none", text: strings.get("Answer_None") },
        ]}
        onChange={(_, option) => option && onConfirm(part.key, true, option.key as "assigned" | "none")}
      />
      <ConfirmedBy part={part} strings={strings} />
    </Stack>
  );
};

const ConfirmedBy: React.FC<{ part: PartView; strings: Strings }> = ({ part, strings }) => {
  if (!part.entry) return null;
  const args = { name: part.entry.by.name, time: { time: part.entry.at } };
  const key = part.entry.confirmed ? (part.outdated ? "Text_ConfirmedEarlierCycle" : "Text_ConfirmedBy") : "Text_Cleared";
  return (
    <Text variant="small" styles={{ root: { paddingLeft: 28 } }} data-confirmed-by="">
      {strings.format({ key, args })}
    </Text>
  );
};

/** What Graph read for one of several parts (a single part's reading is the row's reason already). */
const PartReading: React.FC<{ part: PartView; strings: Strings }> = ({ part, strings }) =>
  part.source === "graph" && part.reason ? (
    <Text variant="small" styles={{ root: { paddingLeft: 28 } }} data-part-reading="">
      {strings.format({ key: "Source_PartRead", args: { reason: part.reason } })}
    </Text>
  ) : null;

/** Where the row's answer came from: Dataverse now, the preflight's Graph reading (when, by whom), or a person. */
const SourceLine: React.FC<ChecklistViewProps & { item: ItemResult }> = ({ item, evaluation, checkedAt, strings }) => {
  const message = sourceMessage(item, evaluation?.graph ?? null, checkedAt);
  return message ? (
    <Text variant="small" data-source-line={item.source}>
      {strings.format(message)}
    </Text>
  ) : null;
};

function sourceMessage(item: ItemResult, graph: Evaluation["graph"], checkedAt: string | null): Message | null {
  switch (item.source) {
    case "dataverse":
      return checkedAt ? { key: "Source_Dataverse", args: { time: { time: checkedAt } } } : null;
    case "graph":
      if (!graph) return null;
      return {
        key: graph.stale ? "Source_GraphStale" : "Source_Graph",
        args: { time: { time: graph.readAt }, name: graph.by.name || graph.by.upn, days: graph.ageDays },
      };
    case "person": {
      const latest = item.parts
        .filter((p) => p.checked && p.entry)
        .sort((a, b) => Date.parse(b.entry!.at) - Date.parse(a.entry!.at))[0]?.entry;
      return latest ? { key: "Source_Person", args: { name: latest.by.name, time: { time: latest.at } } } : null;
    }
    case "derived":
      return { key: "Source_Derived" };
    default:
      return null;
  }
}

/** The preflight's reading: who read Entra ID and when, that Check again does not refresh it, and its age. */
const GraphReading: React.FC<ChecklistViewProps> = ({ evaluation, strings }) => {
  const graph = evaluation?.graph;
  if (!graph) return null;
  const args = { name: graph.by.name || graph.by.upn, time: { time: graph.readAt }, days: graph.ageDays };
  return (
    <MessageBar messageBarType={graph.stale ? MessageBarType.warning : MessageBarType.info} data-graph-reading={graph.stale ? "stale" : "fresh"}>
      {strings.format({ key: graph.stale ? "Graph_Reading_Stale" : "Graph_Reading", args })}
    </MessageBar>
  );
};

const ActionLink: React.FC<ChecklistViewProps & { link: ChecklistLink }> = ({ link, strings, onOpen, hrefOf }) => {
  const external = link.target.kind === "web";
  return (
    <Link
      underline
      href={hrefOf(link.target)}
      target={external ? "_blank" : undefined}
      rel={external ? "noopener noreferrer" : undefined}
      onClick={(event) => {
        event.preventDefault();
        onOpen(link.target);
      }}
      data-link={link.label.key}
    >
      {strings.format(link.label)}
    </Link>
  );
};
