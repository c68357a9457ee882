import * as React from "react";
import { evaluate } from "../checklist/evaluate";
import { buildReport } from "../checklist/report";
import { graphEvidenceOf } from "../checklist/state";
import type { LinkTarget } from "../checklist/types";
import type { ChecklistSession } from "../session";
import { ChecklistView } from "./ChecklistView";
import { linkHref } from "./links";
import type { Strings } from "./strings";

export interface ChecklistAppProps {
  session: ChecklistSession;
  strings: Strings;
  readOnly: boolean;
  environmentUrl: string;
  controlVersion: string;
  open(target: LinkTarget): void;
  copyText(text: string): Promise<void>;
  now(): Date;
}

/** Follows the session and the clock; everything shown is derived here and drawn by ChecklistView. */
export const ChecklistApp: React.FC<ChecklistAppProps> = (props) => {
  const { session, strings } = props;
  const snapshot = useSnapshot(session);
  const [copyResult, setCopyResult] = React.useState<"copied" | "failed" | null>(null);
  const [tick, setTick] = React.useState(0);
  const mounted = React.useRef(true);
  React.useEffect(() => () => void (mounted.current = false), []);

  const confirmations = snapshot.stored.kind === "ok" ? snapshot.stored.state.confirmations : {};
  const graph = snapshot.stored.kind === "ok" ? graphEvidenceOf(snapshot.stored.state) : null;
  const evaluation = React.useMemo(
    () => (snapshot.facts ? evaluate({ facts: snapshot.facts, confirmations, settings: snapshot.settings, now: props.now(), graph }) : null),
    // `tick` re-evaluates when an item changes by itself (the MFA policy wait).
    [snapshot, tick],
  );

  React.useEffect(() => {
    if (!evaluation?.nextChangeAt) return;
    const timer = setTimeout(() => setTick((n) => n + 1), Math.max(0, Date.parse(evaluation.nextChangeAt) - props.now().getTime()) + 50);
    return () => clearTimeout(timer);
  }, [evaluation?.nextChangeAt]);

  const copyReport = () => {
    if (!evaluation) return;
    const report = buildReport({
      evaluation,
      settings: snapshot.settings,
      environmentUrl: props.environmentUrl,
      controlVersion: props.controlVersion,
      checkedAt: snapshot.checkedAt ?? props.now().toISOString(),
      getString: strings.get,
      formatTime: strings.time,
    });
    props.copyText(report).then(
      () => mounted.current && setCopyResult("copied"),
      () => mounted.current && setCopyResult("failed"),
    );
  };

  return (
    <ChecklistView
      strings={strings}
      evaluation={evaluation}
      settings={snapshot.settings}
      checking={snapshot.checking}
      checkedAt={snapshot.checkedAt}
      readOnly={props.readOnly}
      stored={snapshot.stored}
      unsaved={snapshot.unsaved}
      notice={snapshot.notice}
      copyResult={copyResult}
      onCheckAgain={() => void session.check()}
      onConfirm={(key, confirmed, answer) => {
        if (!props.readOnly) void session.confirm({ key, confirmed, answer });
      }}
      onChangeSettings={(change) => {
        if (!props.readOnly) void session.changeSettings(change);
      }}
      onReset={() => {
        if (!props.readOnly) void session.reset();
      }}
      onOpen={props.open}
      hrefOf={(target) => linkHref(target, props.environmentUrl)}
      onCopyReport={copyReport}
    />
  );
};

/** React 16 has no useSyncExternalStore: subscribe in an effect and re-render on change. */
function useSnapshot(session: ChecklistSession) {
  const [snapshot, setSnapshot] = React.useState(() => session.snapshot());
  React.useEffect(() => {
    const update = () => setSnapshot(session.snapshot());
    update();
    return session.subscribe(update);
  }, [session]);
  return snapshot;
}
