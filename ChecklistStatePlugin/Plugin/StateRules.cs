using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace Work365.ChecklistStatePlugin
{
    public enum ParsedKind { Ok, NotJson, NotAChecklist, NewerVersion }

    /// <summary>What the column held: <c>ParsedState</c> of state.ts.</summary>
    public sealed class ParsedState
    {
        public ParsedKind Kind { get; private set; }
        public JsonObject? State { get; private set; }
        public double Version { get; private set; }

        internal static ParsedState Ok(JsonObject state) => new ParsedState { Kind = ParsedKind.Ok, State = state };
        internal static ParsedState Not(ParsedKind kind, double version = 0) => new ParsedState { Kind = kind, Version = version };
    }

    /// <summary>The writer as the server knows it, and the server's clock.</summary>
    public sealed class WriteAuthor
    {
        public WriteAuthor(string id, string name, DateTime nowUtc)
        {
            Id = id;
            Name = name;
            NowUtc = nowUtc;
        }

        public string Id { get; }
        public string Name { get; }
        public DateTime NowUtc { get; }
    }

    /// <summary>The outcome of a write: <c>GuardedWrite</c> of state.ts.</summary>
    public sealed class GuardedWrite
    {
        /// <summary>"write", or the refusal: "incoming-not-json", "incoming-not-a-checklist", "incoming-newer-version", "stored-unreadable", "too-long".</summary>
        public string Outcome { get; private set; } = "write";
        public bool Refused => Outcome != "write";
        /// <summary>What is stored instead of what was sent (null: the column is left empty).</summary>
        public string? Value { get; private set; }
        /// <summary>The confirmation keys, "settings" and "evidence.graph" that now carry the writer and the server's time.</summary>
        public IReadOnlyList<string> Stamped { get; private set; } = new string[0];
        /// <summary>stored-unreadable: "not-json", "not-a-checklist" or "newer-version".</summary>
        public string? Problem { get; private set; }
        public double? Version { get; private set; }
        public int Length { get; private set; }
        public int MaxLength { get; private set; }

        internal static GuardedWrite Write(string? value, IReadOnlyList<string> stamped) => new GuardedWrite { Value = value, Stamped = stamped };
        internal static GuardedWrite Refuse(string reason) => new GuardedWrite { Outcome = reason };
        internal static GuardedWrite RefuseNewer(double version) => new GuardedWrite { Outcome = "incoming-newer-version", Version = version };
        internal static GuardedWrite RefuseStored(ParsedState stored) => new GuardedWrite
        {
            Outcome = "stored-unreadable",
            Problem = stored.Kind == ParsedKind.NotJson ? "not-json" : stored.Kind == ParsedKind.NewerVersion ? "newer-version" : "not-a-checklist",
            Version = stored.Kind == ParsedKind.NewerVersion ? stored.Version : (double?)null,
        };
        internal static GuardedWrite RefuseTooLong(int length, int maxLength) => new GuardedWrite { Outcome = "too-long", Length = length, MaxLength = maxLength };
    }

    /// <summary>
    /// The C# port of the stored-state rules in PrerequisiteChecklist/checklist/state.ts
    /// (parseState, parseTime, mergeStates, guardWrite), function by function. The vectors in
    /// tests/state-vectors/ hold both to the same answers: change one, change the other.
    /// </summary>
    public static class StateRules
    {
        public const int StateVersion = 1;
        public const int MaxDepth = 64;

        public static JsonObject EmptyState() =>
            new JsonObject().Set("version", new JsonNumber(StateVersion)).Set("settings", new JsonObject()).Set("confirmations", new JsonObject());

        public static ParsedState ParseState(string? raw)
        {
            if (IsBlank(raw)) return ParsedState.Ok(EmptyState());
            var value = Json.Parse(raw!);
            if (value == null) return ParsedState.Not(ParsedKind.NotJson);
            if (value is JsonNull) return ParsedState.Ok(EmptyState());
            if (!(value is JsonObject obj) || !(obj.Get("version") is JsonNumber version) || Json.Depth(obj) > MaxDepth) return ParsedState.Not(ParsedKind.NotAChecklist);
            if (version.Value > StateVersion) return ParsedState.Not(ParsedKind.NewerVersion, version.Value);
            if (version.Value < StateVersion) return ParsedState.Not(ParsedKind.NotAChecklist);
            var state = obj.Copy()
                .Set("version", new JsonNumber(StateVersion))
                .Set("settings", obj.Get("settings") as JsonObject ?? new JsonObject())
                .Set("confirmations", obj.Get("confirmations") as JsonObject ?? new JsonObject());
            return ParsedState.Ok(state);
        }

        private static readonly Regex TimePattern = new Regex(
            // [0-9], not \d: in .NET \d matches every script's digits, in JavaScript only these.
            @"^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?(?:(Z)|([+-])([0-9]{2}):([0-9]{2}))$",
            RegexOptions.CultureInvariant);

        /// <summary>parseTime: milliseconds since 1970 of an ISO 8601 time with a zone, else null.</summary>
        public static long? ParseTime(string value)
        {
            var m = TimePattern.Match(value);
            if (!m.Success) return null;
            int Part(int group) => m.Groups[group].Success ? int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
            int year = Part(1), month = Part(2), day = Part(3), hour = Part(4), minute = Part(5), second = Part(6);
            int offsetHours = Part(10), offsetMinutes = Part(11);
            if (month < 1 || month > 12) return null;
            if (day < 1 || day > DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return null;
            var fraction = m.Groups[7].Value;
            var ms = fraction.Length == 0 ? 0 : int.Parse(fraction.Length >= 3 ? fraction.Substring(0, 3) : fraction.PadRight(3, '0'), CultureInfo.InvariantCulture);
            var sign = m.Groups[9].Value == "-" ? -1 : 1;
            var local = DaysFromCivil(year, month, day) * 86400000L + hour * 3600000L + minute * 60000L + second * 1000L + ms;
            return local - sign * (offsetHours * 60L + offsetMinutes) * 60000L;
        }

        /// <summary>Days in a month of the proleptic Gregorian calendar, year 0 included (a leap year, as in JavaScript).</summary>
        private static int DaysInMonth(int year, int month)
        {
            if (month != 2) return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
            var leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            return leap ? 29 : 28;
        }

        /// <summary>Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's days_from_civil).</summary>
        private static long DaysFromCivil(int year, int month, int day)
        {
            long y = month <= 2 ? year - 1 : year;
            var era = (y >= 0 ? y : y - 399) / 400;
            var yearOfEra = y - era * 400;
            var dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
            var dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
            return era * 146097 + dayOfEra - 719468;
        }

        private static double TimeOf(JsonValue? value, string field)
        {
            if (value is JsonObject obj && obj.Get(field) is JsonString text && ParseTime(text.Value) is long time) return time;
            return double.NegativeInfinity;
        }

        /// <summary>mergeStates: per key the later <c>at</c> wins (a tie keeps the saved side); settings by <c>changedAt</c>; unknown keys kept.</summary>
        public static JsonObject MergeStates(JsonObject saved, JsonObject local)
        {
            var savedConfirmations = (JsonObject)saved.Get("confirmations")!;
            var localConfirmations = (JsonObject)local.Get("confirmations")!;
            var confirmations = savedConfirmations.Copy();
            foreach (var key in localConfirmations.Keys)
            {
                var entry = localConfirmations.Get(key)!;
                if (!confirmations.Has(key) || TimeOf(entry, "at") > TimeOf(confirmations.Get(key), "at")) confirmations.Set(key, entry);
            }
            var savedSettings = saved.Get("settings")!;
            var localSettings = local.Get("settings")!;
            var settings = TimeOf(localSettings, "changedAt") > TimeOf(savedSettings, "changedAt") ? localSettings : savedSettings;
            var merged = new JsonObject();
            foreach (var key in local.Keys) merged.Set(key, local.Get(key)!);
            foreach (var key in saved.Keys) merged.Set(key, saved.Get(key)!);
            merged.Set("version", new JsonNumber(StateVersion)).Set("settings", settings).Set("confirmations", confirmations);
            var evidence = MergeEvidence(saved.Get("evidence"), local.Get("evidence"));
            if (evidence != null) merged.Set("evidence", evidence);
            return merged;
        }

        /// <summary><c>evidence.graph</c>: the later <c>readAt</c> wins whole; other evidence keys: the saved side's, else local's.</summary>
        private static JsonValue? MergeEvidence(JsonValue? saved, JsonValue? local)
        {
            if (!(local is JsonObject localEvidence)) return saved;
            if (!(saved is JsonObject savedEvidence)) return local;
            var merged = new JsonObject();
            foreach (var key in localEvidence.Keys) merged.Set(key, localEvidence.Get(key)!);
            foreach (var key in savedEvidence.Keys) merged.Set(key, savedEvidence.Get(key)!);
            if (TimeOf(localEvidence.Get("graph"), "readAt") > TimeOf(savedEvidence.Get("graph"), "readAt")) merged.Set("graph", localEvidence.Get("graph")!);
            return merged;
        }

        /// <summary>
        /// guardWrite: the stored value and the incoming one merge, so no write loses a tick; what
        /// this write adds or changes carries the writer and the server's time; a damaged, newer or
        /// too long value is refused. Over a stored value this version cannot read, only an empty
        /// state (the control's Reset, or a blank value) is taken.
        /// </summary>

        /// <summary>An entry without its who and when: the server's to say.</summary>
        private static JsonValue WithoutStamps(JsonValue value)
        {
            if (!(value is JsonObject obj)) return value;
            var rest = new JsonObject();
            foreach (var key in obj.Keys) if (key != "by" && key != "at") rest.Set(key, obj.Get(key)!);
            return rest;
        }
        public static GuardedWrite GuardWrite(string? stored, string? incoming, Func<WriteAuthor> author, int maxLength)
        {
            var sent = ParseState(incoming);
            if (sent.Kind == ParsedKind.NotJson) return GuardedWrite.Refuse("incoming-not-json");
            if (sent.Kind == ParsedKind.NotAChecklist) return GuardedWrite.Refuse("incoming-not-a-checklist");
            if (sent.Kind == ParsedKind.NewerVersion) return GuardedWrite.RefuseNewer(sent.Version);

            var saved = ParseState(stored);
            if (saved.Kind != ParsedKind.Ok)
            {
                if (IsEmpty(sent.State!)) return GuardedWrite.Write(IsBlank(incoming) ? incoming : Json.Write(sent.State!), new string[0]);
                return GuardedWrite.RefuseStored(saved);
            }

            var savedState = saved.State!;
            var merged = MergeStates(savedState, sent.State!);
            if (IsBlank(incoming) && IsEmpty(merged)) return GuardedWrite.Write(incoming, new string[0]);

            // The writer is read only now, when something may need their name.
            var writer = author();
            var at = new JsonString(writer.NowUtc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            var by = new JsonObject().Set("id", new JsonString(NormaliseUserId(writer.Id))).Set("name", new JsonString(writer.Name));
            var stamped = new List<string>();

            var before = (JsonObject)savedState.Get("confirmations")!;
            var confirmations = new JsonObject();
            var mergedConfirmations = (JsonObject)merged.Get("confirmations")!;
            foreach (var key in mergedConfirmations.Keys)
            {
                var entry = mergedConfirmations.Get(key)!;
                var kept = before.Get(key);
                // Saying what the record says, only with another who or when, changes nothing: the stored entry stays.
                if (kept != null && Json.SameJson(WithoutStamps(kept), WithoutStamps(entry))) entry = kept;
                else if (entry is JsonObject obj)
                {
                    entry = obj.Copy().Set("by", by).Set("at", at);
                    stamped.Add(key);
                }
                confirmations.Set(key, entry);
            }
            merged.Set("confirmations", confirmations);

            // Settings carry the server's time too: the cycle and the confirmations in it then share one clock.
            var savedSettings = savedState.Get("settings");
            if (!Json.SameJson(merged.Get("settings"), savedSettings))
            {
                var settings = ((JsonObject)merged.Get("settings")!).Copy().Set("changedAt", at);
                var cycle = settings.Get("cycleStartedAt");
                if (cycle != null && !Json.SameJson(cycle, (savedSettings as JsonObject)?.Get("cycleStartedAt"))) settings.Set("cycleStartedAt", at);
                merged.Set("settings", settings);
                stamped.Add("settings");
            }

            var graph = (merged.Get("evidence") as JsonObject)?.Get("graph") as JsonObject;
            var savedGraph = (savedState.Get("evidence") as JsonObject)?.Get("graph");
            if (graph != null && !Json.SameJson(graph, savedGraph))
            {
                var evidence = ((JsonObject)merged.Get("evidence")!).Copy().Set("graph", graph.Copy().Set("savedBy", by).Set("savedAt", at));
                merged.Set("evidence", evidence);
                stamped.Add("evidence.graph");
            }

            var value = Json.Write(merged);
            if (value.Length > maxLength) return GuardedWrite.RefuseTooLong(value.Length, maxLength);
            return GuardedWrite.Write(value, stamped);
        }

        /// <summary>Nothing a person gave: what the control's Reset writes.</summary>
        private static bool IsEmpty(JsonObject state) =>
            state.Keys.All(key => key == "version" || key == "settings" || key == "confirmations") &&
            ((JsonObject)state.Get("settings")!).Count == 0 &&
            ((JsonObject)state.Get("confirmations")!).Count == 0;

        /// <summary>User ids are stored as lower-case GUIDs without braces.</summary>
        public static string NormaliseUserId(string id) => id.Replace("{", "").Replace("}", "").ToLowerInvariant();

        /// <summary>null, or only what String.prototype.trim removes.</summary>
        private static bool IsBlank(string? raw) => raw == null || raw.All(IsJavaScriptWhiteSpace);

        private static bool IsJavaScriptWhiteSpace(char c) =>
            c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == ' ' || c == '\u00A0' || c == '\u1680' ||
            (c >= '\u2000' && c <= '\u200A') || c == '\u2028' || c == '\u2029' || c == '\u202F' || c == '\u205F' || c == '\u3000' || c == '\uFEFF';
    }
}
