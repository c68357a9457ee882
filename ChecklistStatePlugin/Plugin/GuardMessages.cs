using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Xml;

namespace Work365.ChecklistStatePlugin
{
    /// <summary>
    /// What the guard tells the person whose write it refused, in their own language. The words are
    /// the control's resx files (the Guard_ keys), which the build embeds (see the csproj).
    /// </summary>
    public static class GuardMessages
    {
        public const int English = 1033;
        private static readonly ConcurrentDictionary<int, IReadOnlyDictionary<string, string>> Languages = new ConcurrentDictionary<int, IReadOnlyDictionary<string, string>>();

        /// <summary>The message for a refused write.</summary>
        public static string For(GuardedWrite refusal, int language)
        {
            var number = CultureOf(language);
            string Count(double value) => value.ToString(value % 1 == 0 ? "N0" : "G", number);
            switch (refusal.Outcome)
            {
                case "incoming-not-json": return Text("Guard_IncomingNotJson", language);
                case "incoming-not-a-checklist": return Text("Guard_IncomingNotAChecklist", language);
                case "incoming-newer-version": return Text("Guard_IncomingNewerVersion", language, "version", Count(refusal.Version ?? 0));
                case "stored-unreadable":
                    if (refusal.Problem == "not-json") return Text("Guard_StoredNotJson", language);
                    if (refusal.Problem == "newer-version") return Text("Guard_StoredNewerVersion", language, "version", Count(refusal.Version ?? 0));
                    return Text("Guard_StoredNotAChecklist", language);
                case "too-long": return Text("Guard_TooLong", language, "length", Count(refusal.Length), "maxLength", Count(refusal.MaxLength));
                default: throw new ArgumentException("Not a refusal: " + refusal.Outcome, nameof(refusal));
            }
        }

        /// <summary>
        /// A Guard_ string with its {placeholders} filled from name, value pairs; English where the
        /// language lacks it. (Pairs, not tuples: System.ValueTuple is not part of net462.)
        /// </summary>
        public static string Text(string key, int language, params string[] namesAndValues)
        {
            if (!Strings(language).TryGetValue(key, out var text) && !Strings(English).TryGetValue(key, out text)) text = key;
            for (var i = 0; i + 1 < namesAndValues.Length; i += 2) text = text.Replace("{" + namesAndValues[i] + "}", namesAndValues[i + 1]);
            return text;
        }

        /// <summary>The Guard_ strings of one language; none for a language the control does not ship.</summary>
        public static IReadOnlyDictionary<string, string> Strings(int language) => Languages.GetOrAdd(language, Load);

        private static IReadOnlyDictionary<string, string> Load(int language)
        {
            var strings = new Dictionary<string, string>(StringComparer.Ordinal);
            using (var stream = typeof(GuardMessages).Assembly.GetManifestResourceStream(ResourceName(language)))
            {
                if (stream == null) return strings;
                using (var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null }))
                {
                    var document = new XmlDocument { XmlResolver = null };
                    document.Load(reader);
                    foreach (XmlElement data in document.GetElementsByTagName("data"))
                    {
                        var value = data["value"];
                        if (value != null) strings[data.GetAttribute("name")] = value.InnerText;
                    }
                }
            }
            return strings;
        }

        public static string ResourceName(int language) => "Work365.ChecklistStatePlugin.Strings.PrerequisiteChecklist." + language.ToString(CultureInfo.InvariantCulture) + ".xml";

        private static CultureInfo CultureOf(int language)
        {
            try
            {
                return CultureInfo.GetCultureInfo(language);
            }
            catch (ArgumentException)
            {
                return CultureInfo.InvariantCulture;
            }
        }
    }
}
