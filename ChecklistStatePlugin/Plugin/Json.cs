using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Work365.ChecklistStatePlugin
{
    /// <summary>
    /// A JSON value as JavaScript holds it after JSON.parse. The checklist state is written by the
    /// control's JSON.stringify; the plug-in writes it back the same way, character for character.
    /// </summary>
    public abstract class JsonValue
    {
        internal JsonValue() { }
    }

    public sealed class JsonNull : JsonValue
    {
        public static readonly JsonNull Instance = new JsonNull();
        private JsonNull() { }
    }

    public sealed class JsonBool : JsonValue
    {
        public static readonly JsonBool True = new JsonBool(true);
        public static readonly JsonBool False = new JsonBool(false);
        public bool Value { get; }
        private JsonBool(bool value) { Value = value; }
    }

    public sealed class JsonNumber : JsonValue
    {
        public double Value { get; }
        public JsonNumber(double value) { Value = value; }
    }

    public sealed class JsonString : JsonValue
    {
        public string Value { get; }
        public JsonString(string value) { Value = value; }
    }

    public sealed class JsonArray : JsonValue
    {
        public List<JsonValue> Items { get; } = new List<JsonValue>();
    }

    /// <summary>
    /// An object with JavaScript's key order: keys that are array indices first, ascending, then
    /// the others in the order they were first set. Setting a key again keeps its place.
    /// </summary>
    public sealed class JsonObject : JsonValue
    {
        private readonly Dictionary<string, JsonValue> values = new Dictionary<string, JsonValue>(StringComparer.Ordinal);
        private readonly SortedList<uint, string> indexKeys = new SortedList<uint, string>();
        private readonly List<string> otherKeys = new List<string>();

        public int Count => values.Count;

        public IEnumerable<string> Keys
        {
            get
            {
                foreach (var key in indexKeys.Values) yield return key;
                foreach (var key in otherKeys) yield return key;
            }
        }

        public bool Has(string key) => values.ContainsKey(key);

        /// <summary>The value under key, or null when there is none (JSON null is JsonNull.Instance).</summary>
        public JsonValue? Get(string key) => values.TryGetValue(key, out var value) ? value : null;

        public JsonObject Set(string key, JsonValue value)
        {
            if (!values.ContainsKey(key))
            {
                if (TryArrayIndex(key, out var index)) indexKeys.Add(index, key);
                else otherKeys.Add(key);
            }
            values[key] = value;
            return this;
        }

        /// <summary>A shallow copy: JavaScript's <c>{ ...value }</c>.</summary>
        public JsonObject Copy()
        {
            var copy = new JsonObject();
            foreach (var key in Keys) copy.Set(key, values[key]);
            return copy;
        }

        /// <summary>An array index: "0", or digits without a leading zero, at most 2^32 - 2.</summary>
        private static bool TryArrayIndex(string key, out uint index)
        {
            index = 0;
            if (key.Length == 0 || key.Length > 10 || (key.Length > 1 && key[0] == '0')) return false;
            ulong n = 0;
            foreach (var c in key)
            {
                if (c < '0' || c > '9') return false;
                n = n * 10 + (ulong)(c - '0');
            }
            if (n > 4294967294UL) return false;
            index = (uint)n;
            return true;
        }
    }

    public static class Json
    {
        /// <summary>As JSON.parse: strict JSON, or null when the text is not JSON. Never throws, never recurses.</summary>
        public static JsonValue? Parse(string text)
        {
            try
            {
                return new Reader(text).ReadDocument();
            }
            catch (FormatException)
            {
                return null;
            }
        }

        /// <summary>As JSON.stringify, compact.</summary>
        public static string Write(JsonValue value)
        {
            var builder = new StringBuilder();
            WriteTo(builder, value);
            return builder.ToString();
        }

        /// <summary>How deeply arrays and objects nest (a scalar is 0), counted without recursion.</summary>
        public static int Depth(JsonValue value)
        {
            var deepest = 0;
            var stack = new Stack<KeyValuePair<JsonValue, int>>();
            stack.Push(new KeyValuePair<JsonValue, int>(value, 0));
            while (stack.Count > 0)
            {
                var top = stack.Pop();
                IEnumerable<JsonValue>? children = top.Key is JsonArray array ? array.Items : top.Key is JsonObject obj ? Values(obj) : null;
                if (children == null) continue;
                var depth = top.Value + 1;
                if (depth > deepest) deepest = depth;
                foreach (var child in children) stack.Push(new KeyValuePair<JsonValue, int>(child, depth));
            }
            return deepest;
        }

        private static IEnumerable<JsonValue> Values(JsonObject obj)
        {
            foreach (var key in obj.Keys) yield return obj.Get(key)!;
        }

        /// <summary>Equal as JSON: objects by their keys whatever the order, numbers by value.</summary>
        public static bool SameJson(JsonValue? a, JsonValue? b)
        {
            if (ReferenceEquals(a, b)) return true;
            if (a == null || b == null) return false;
            switch (a)
            {
                case JsonString s: return b is JsonString t && s.Value == t.Value;
                case JsonNumber n: return b is JsonNumber m && n.Value == m.Value;
                case JsonBool x: return b is JsonBool y && x.Value == y.Value;
                case JsonNull _: return b is JsonNull;
                case JsonArray array:
                    if (!(b is JsonArray other) || other.Items.Count != array.Items.Count) return false;
                    for (var i = 0; i < array.Items.Count; i++) if (!SameJson(array.Items[i], other.Items[i])) return false;
                    return true;
                case JsonObject obj:
                    if (!(b is JsonObject that) || that.Count != obj.Count) return false;
                    foreach (var key in obj.Keys) if (!SameJson(obj.Get(key), that.Get(key))) return false;
                    return true;
                default: return false;
            }
        }

        private static void WriteTo(StringBuilder builder, JsonValue value)
        {
            switch (value)
            {
                case JsonNull _: builder.Append("null"); break;
                case JsonBool b: builder.Append(b.Value ? "true" : "false"); break;
                case JsonNumber n: builder.Append(NumberText(n.Value)); break;
                case JsonString s: WriteString(builder, s.Value); break;
                case JsonArray array:
                    builder.Append('[');
                    for (var i = 0; i < array.Items.Count; i++)
                    {
                        if (i > 0) builder.Append(',');
                        WriteTo(builder, array.Items[i]);
                    }
                    builder.Append(']');
                    break;
                case JsonObject obj:
                    builder.Append('{');
                    var first = true;
                    foreach (var key in obj.Keys)
                    {
                        if (!first) builder.Append(',');
                        first = false;
                        WriteString(builder, key);
                        builder.Append(':');
                        WriteTo(builder, obj.Get(key)!);
                    }
                    builder.Append('}');
                    break;
            }
        }

        /// <summary>JSON.stringify's quoting: control characters and lone surrogates escaped, everything else as it is.</summary>
        private static void WriteString(StringBuilder builder, string text)
        {
            builder.Append('"');
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                switch (c)
                {
                    case '"': builder.Append("\\\""); continue;
                    case '\\': builder.Append("\\\\"); continue;
                    case '\b': builder.Append("\\b"); continue;
                    case '\f': builder.Append("\\f"); continue;
                    case '\n': builder.Append("\\n"); continue;
                    case '\r': builder.Append("\\r"); continue;
                    case '\t': builder.Append("\\t"); continue;
                }
                if (c < 0x20) builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) builder.Append(c).Append(text[++i]);
                else if (char.IsSurrogate(c)) builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                else builder.Append(c);
            }
            builder.Append('"');
        }

        /// <summary>
        /// JavaScript's Number.prototype.toString: the shortest digits that read back as the same
        /// number, laid out as ECMAScript's Number::toString lays them out. Not finite: null, as JSON.stringify.
        /// </summary>
        public static string NumberText(double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value)) return "null";
            if (value == 0) return "0";
            var negative = value < 0;
            var magnitude = Math.Abs(value);
            string digits = "";
            var exponent = 0;
            for (var precision = 1; precision <= 17; precision++)
            {
                var text = magnitude.ToString("E" + (precision - 1), CultureInfo.InvariantCulture);
                if (precision < 17 && double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) != magnitude) continue;
                var e = text.IndexOf('E');
                digits = text.Substring(0, e).Replace(".", "").TrimEnd('0');
                if (digits.Length == 0) digits = "0";
                exponent = int.Parse(text.Substring(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) + 1;
                break;
            }
            var k = digits.Length;
            var n = exponent;
            string result;
            if (k <= n && n <= 21) result = digits + new string('0', n - k);
            else if (0 < n && n <= 21) result = digits.Substring(0, n) + "." + digits.Substring(n);
            else if (-6 < n && n <= 0) result = "0." + new string('0', -n) + digits;
            else
            {
                var e = n - 1;
                var mantissa = k == 1 ? digits : digits.Substring(0, 1) + "." + digits.Substring(1);
                result = mantissa + "e" + (e < 0 ? "-" : "+") + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
            }
            return negative ? "-" + result : result;
        }

        /// <summary>A strict JSON reader with its own stack, so no nesting can overflow the thread's.</summary>
        private sealed class Reader
        {
            private readonly string text;
            private int pos;

            public Reader(string text) { this.text = text; }

            public JsonValue ReadDocument()
            {
                // Containers being filled, and for objects the key whose value comes next.
                var containers = new Stack<JsonValue>();
                var keys = new Stack<string>();
                JsonValue? result = null;
                SkipWhitespace();
                while (true)
                {
                    JsonValue value;
                    var c = Peek();
                    if (c == '{' || c == '[')
                    {
                        pos++;
                        SkipWhitespace();
                        JsonValue container = c == '{' ? new JsonObject() : (JsonValue)new JsonArray();
                        var close = c == '{' ? '}' : ']';
                        if (Peek() != close)
                        {
                            containers.Push(container);
                            if (container is JsonObject) keys.Push(ReadKey());
                            continue;
                        }
                        pos++;
                        value = container;
                    }
                    else value = ReadScalar();

                    // A finished value goes into its container; closed containers go into theirs.
                    while (true)
                    {
                        if (containers.Count == 0)
                        {
                            result = value;
                            break;
                        }
                        var parent = containers.Peek();
                        if (parent is JsonObject obj) obj.Set(keys.Pop(), value);
                        else ((JsonArray)parent).Items.Add(value);
                        SkipWhitespace();
                        var next = Next();
                        if (next == ',')
                        {
                            SkipWhitespace();
                            if (parent is JsonObject) keys.Push(ReadKey());
                            break;
                        }
                        if (next != (parent is JsonObject ? '}' : ']')) throw new FormatException();
                        value = containers.Pop();
                    }
                    if (result != null) break;
                    SkipWhitespace();
                }
                SkipWhitespace();
                if (pos != text.Length) throw new FormatException();
                return result;
            }

            private string ReadKey()
            {
                if (Peek() != '"') throw new FormatException();
                var key = ReadString();
                SkipWhitespace();
                if (Next() != ':') throw new FormatException();
                SkipWhitespace();
                return key;
            }

            private JsonValue ReadScalar()
            {
                var c = Peek();
                if (c == '"') return new JsonString(ReadString());
                if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber();
                if (Match("true")) return JsonBool.True;
                if (Match("false")) return JsonBool.False;
                if (Match("null")) return JsonNull.Instance;
                throw new FormatException();
            }

            private bool Match(string word)
            {
                if (string.CompareOrdinal(text, pos, word, 0, word.Length) != 0) return false;
                pos += word.Length;
                return true;
            }

            private JsonValue ReadNumber()
            {
                var start = pos;
                if (Peek() == '-') pos++;
                if (Peek() == '0') pos++;
                else if (!Digits()) throw new FormatException();
                if (Peek() == '.')
                {
                    pos++;
                    if (!Digits()) throw new FormatException();
                }
                if (Peek() == 'e' || Peek() == 'E')
                {
                    pos++;
                    if (Peek() == '+' || Peek() == '-') pos++;
                    if (!Digits()) throw new FormatException();
                }
                var token = text.Substring(start, pos - start);
                double value;
                try
                {
                    value = double.Parse(token, NumberStyles.Float, CultureInfo.InvariantCulture);
                }
                catch (OverflowException)
                {
                    // .NET Framework throws where JavaScript reads Infinity.
                    value = token[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
                }
                return new JsonNumber(value);
            }

            private bool Digits()
            {
                var start = pos;
                while (pos < text.Length && text[pos] >= '0' && text[pos] <= '9') pos++;
                return pos > start;
            }

            private string ReadString()
            {
                pos++; // the opening quote
                var builder = new StringBuilder();
                while (true)
                {
                    if (pos >= text.Length) throw new FormatException();
                    var c = text[pos++];
                    if (c == '"') return builder.ToString();
                    if (c < 0x20) throw new FormatException();
                    if (c != '\\')
                    {
                        builder.Append(c);
                        continue;
                    }
                    var escape = Next();
                    switch (escape)
                    {
                        case '"': builder.Append('"'); break;
                        case '\\': builder.Append('\\'); break;
                        case '/': builder.Append('/'); break;
                        case 'b': builder.Append('\b'); break;
                        case 'f': builder.Append('\f'); break;
                        case 'n': builder.Append('\n'); break;
                        case 'r': builder.Append('\r'); break;
                        case 't': builder.Append('\t'); break;
                        case 'u':
                            if (pos + 4 > text.Length) throw new FormatException();
                            var code = 0;
                            for (var i = 0; i < 4; i++)
                            {
                                var h = text[pos++];
                                var digit = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                                if (digit < 0) throw new FormatException();
                                code = code * 16 + digit;
                            }
                            builder.Append((char)code);
                            break;
                        default: throw new FormatException();
                    }
                }
            }

            private void SkipWhitespace()
            {
                while (pos < text.Length && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r')) pos++;
            }

            private char Peek() => pos < text.Length ? text[pos] : '\0';

            private char Next() => pos < text.Length ? text[pos++] : throw new FormatException();
        }
    }
}
