using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using Xunit;

namespace Work365.ChecklistStatePlugin.Tests
{
    /// <summary>The vectors jest runs against state.ts (tests/state-vectors/), run against the C# port.</summary>
    public sealed class StateVectorTests
    {
        public static string RepositoryRoot =>
            typeof(StateVectorTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

        private static string VectorDirectory => Path.Combine(RepositoryRoot, "tests", "state-vectors");

        public static IEnumerable<object[]> Vectors() =>
            Directory.GetFiles(VectorDirectory, "*.json").OrderBy(f => f, StringComparer.Ordinal).Select(f => new object[] { Path.GetFileNameWithoutExtension(f) });

        [Fact]
        public void There_are_vectors()
        {
            Assert.True(Vectors().Count() >= 40, $"expected the shared vectors in {VectorDirectory}");
        }

        [Theory]
        [MemberData(nameof(Vectors))]
        public void Vector(string name)
        {
            var vector = (JsonObject)Json.Parse(File.ReadAllText(Path.Combine(VectorDirectory, name + ".json")))!;
            var user = (JsonObject)vector.Get("user")!;
            var now = DateTime.Parse(((JsonString)vector.Get("now")!).Value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            var maxLength = (int)((JsonNumber)vector.Get("maxLength")!).Value;
            var result = StateRules.GuardWrite(
                ColumnValue(vector.Get("stored")),
                ColumnValue(vector.Get("incoming")),
                () => new WriteAuthor(((JsonString)user.Get("id")!).Value, ((JsonString)user.Get("name")!).Value, now),
                maxLength);

            var expected = (JsonObject)vector.Get("expected")!;
            var kind = ((JsonString)expected.Get("kind")!).Value;
            if (kind == "write")
            {
                Assert.False(result.Refused, $"{name}: refused ({result.Outcome})");
                Assert.Equal(ColumnValue(expected.Get("value")), result.Value);
                Assert.Equal(((JsonArray)expected.Get("stamped")!).Items.Select(i => ((JsonString)i).Value), result.Stamped);
                return;
            }
            Assert.Equal(((JsonString)expected.Get("reason")!).Value, result.Outcome);
            Assert.Equal((expected.Get("problem") as JsonString)?.Value, result.Problem);
            Assert.Equal((expected.Get("version") as JsonNumber)?.Value, result.Version);
            if (result.Outcome == "too-long")
            {
                Assert.Equal(((JsonNumber)expected.Get("length")!).Value, result.Length);
                Assert.Equal(((JsonNumber)expected.Get("maxLength")!).Value, result.MaxLength);
            }
        }

        /// <summary>As the jest runner reads a vector's value: a string is the column's text, null is null, else the JSON written compactly.</summary>
        private static string? ColumnValue(JsonValue? value) => value is JsonString text ? text.Value : value is JsonNull || value == null ? null : Json.Write(value);
    }
}
