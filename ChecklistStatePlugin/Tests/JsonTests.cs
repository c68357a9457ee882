using Xunit;

namespace Work365.ChecklistStatePlugin.Tests
{
    /// <summary>The JSON reader and writer behave as JavaScript's JSON.parse and JSON.stringify.</summary>
    public sealed class JsonTests
    {
        [Theory]
        [InlineData("1", "1")]
        [InlineData("-0", "0")]
        [InlineData("1.50", "1.5")]
        [InlineData("1e21", "1e+21")]
        [InlineData("1e20", "100000000000000000000")]
        [InlineData("0.000001", "0.000001")]
        [InlineData("0.0000001", "1e-7")]
        [InlineData("123.456e-10", "1.23456e-8")]
        [InlineData("0.1", "0.1")]
        [InlineData("0.30000000000000004", "0.30000000000000004")]
        [InlineData("9007199254740993", "9007199254740992")]
        [InlineData("1.7976931348623157e308", "1.7976931348623157e+308")]
        [InlineData("5e-324", "5e-324")]
        [InlineData("-1e-7", "-1e-7")]
        [InlineData("1e999", "null")]
        public void Numbers_read_and_write_as_in_JavaScript(string text, string written)
        {
            Assert.Equal(written, Json.Write(Json.Parse(text)!));
        }

        [Theory]
        [InlineData("")]
        [InlineData(" ")]
        [InlineData("{")]
        [InlineData("[1,]")]
        [InlineData("{\"a\":1,}")]
        [InlineData("01")]
        [InlineData("1.")]
        [InlineData(".5")]
        [InlineData("+1")]
        [InlineData("NaN")]
        [InlineData("'a'")]
        [InlineData("\"\t\"")]
        [InlineData("\"\\x\"")]
        [InlineData("\"\\u12\"")]
        [InlineData("{\"a\" 1}")]
        [InlineData("[1] 2")]
        [InlineData("\u00a0[]")]
        [InlineData("tru")]
        public void What_JSON_parse_refuses_is_not_JSON(string text)
        {
            Assert.Null(Json.Parse(text));
        }

        [Fact]
        public void Nesting_is_read_without_recursion()
        {
            var deep = new string('[', 1_000_000) + new string(']', 1_000_000);
            var value = Json.Parse(deep);
            Assert.NotNull(value);
            Assert.Equal(1_000_000, Json.Depth(value!));
            Assert.Null(Json.Parse(new string('[', 1_000_000)));
        }

        [Fact]
        public void Objects_keep_JavaScripts_key_order()
        {
            Assert.Equal("{\"1\":0,\"4294967294\":0,\"b\":0,\"a\":0,\"4294967295\":0,\"01\":0}", Json.Write(Json.Parse("{\"b\":0,\"4294967294\":0,\"a\":0,\"1\":0,\"4294967295\":0,\"01\":0}")!));
            Assert.Equal("{\"a\":3,\"b\":2}", Json.Write(Json.Parse("{\"a\":1,\"b\":2,\"a\":3}")!));
        }
    }
}
