using Gatehouse.Core.Grants;
using Gatehouse.Core.Users;

namespace Gatehouse.Core.Tests;

public class IdentifierNormalizerTests
{
    [Theory]
    [InlineData("adele@contoso.com")]
    [InlineData("Zoë.Ångström@exämple.org")]
    [InlineData("用户@例子.中国")]
    [InlineData("o'brien+tag@example.com")]
    [InlineData("emoji😀@example.com")]
    public void Real_identifiers_pass(string identifier) => Assert.Null(IdentifierNormalizer.Problem(identifier));

    [Theory]
    [InlineData("a\0b@example.com", "control")]
    [InlineData("a\tb@example.com", "control")]
    [InlineData("a\nb@example.com", "control")]
    [InlineData("a\u007Fb@example.com", "control")]
    [InlineData("a\u0085b@example.com", "control")]
    [InlineData("ad\u200Bele@contoso.com", "invisible")]
    [InlineData("ad\u200Dele@contoso.com", "invisible")]
    [InlineData("\u202Emoc.osotnoc@eleda", "invisible")]
    [InlineData("ad\u00ADele@contoso.com", "invisible")]
    [InlineData("\uFEFFadele@contoso.com", "invisible")]
    [InlineData("a\u2028b@example.com", "invisible")]
    [InlineData("a\uE000b@example.com", "private-use")]
    [InlineData("a\uFFFDb@example.com", "UTF-8")]
    [InlineData("tag\U000E0041@example.com", "invisible")]
    public void Control_format_and_broken_characters_are_refused(string identifier, string why) =>
        Assert.Contains(why, IdentifierNormalizer.Problem(identifier), StringComparison.Ordinal);

    [Theory]
    [InlineData(0xD800, "b")]
    [InlineData(0xDBFF, "")]
    [InlineData(0xDC00, "b")]
    public void Lone_surrogates_are_refused(int surrogate, string after) => // built here: xunit's test data would replace them
        Assert.Contains("surrogate", IdentifierNormalizer.Problem("a" + (char)surrogate + after + "@example.com"), StringComparison.Ordinal);

    [Fact]
    public void Over_long_identifiers_are_refused()
    {
        Assert.Null(IdentifierNormalizer.Problem(new string('a', IdentifierNormalizer.MaxLength)));
        Assert.Contains("longer", IdentifierNormalizer.Problem(new string('a', IdentifierNormalizer.MaxLength + 1)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Adele@Contoso.COM", "adele@contoso.com")]
    [InlineData("ＡＤＥＬＥ@ｃｏｎｔｏｓｏ.com", "adele@contoso.com")] // fullwidth
    [InlineData("ａｄｅｌｅ＠contoso．com", "adele@contoso.com")] // fullwidth @ and .
    [InlineData("\u212Aelvin@example.com", "kelvin@example.com")] // KELVIN SIGN
    [InlineData("ﬁnn@example.com", "finn@example.com")] // ligature
    [InlineData("Zoe\u0308@example.com", "zoë@example.com")] // combining diaeresis composes
    public void Compatibility_forms_and_case_share_one_key(string spelling, string key) =>
        Assert.Equal(key, IdentifierNormalizer.Key(spelling));

    [Fact]
    public void Ascii_keys_are_the_lower_case_they_always_were() =>
        Assert.Equal("MiXeD.Case+Tag@Example.COM".ToLowerInvariant(), IdentifierNormalizer.Key("MiXeD.Case+Tag@Example.COM"));

    [Fact]
    public void Key_never_throws_on_broken_text() =>
        Assert.Equal("ｂ" + (char)0xD800 + "b", IdentifierNormalizer.Key("Ｂ" + (char)0xD800 + "B"));

    [Theory]
    [InlineData("username", "pat\u0000@example.com")]
    [InlineData("username", "pat\u200B@example.com")]
    [InlineData("client_id", "abc\u0001")]
    [InlineData("realm", "db\u202E")]
    [InlineData("password", "pass\u0000word")]
    public void Token_parameters_with_forbidden_characters_are_invalid_requests(string name, string value)
    {
        var error = TokenRequestLimits.Check(new Dictionary<string, string> { [name] = value });
        Assert.NotNull(error);
        Assert.Equal(400, error.Status);
        Assert.Equal("invalid_request", error.Error);
        Assert.StartsWith($"Parameter '{name}'", error.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Passwords_may_hold_any_character_but_NUL() =>
        Assert.Null(TokenRequestLimits.Check(new Dictionary<string, string> { ["password"] = "p\u200Bä\tß😀 ok", ["username"] = "pat@example.com" }));

    [Fact]
    public void Token_parameters_are_capped()
    {
        foreach (var (name, cap) in TokenRequestLimits.Caps)
        {
            Assert.Null(TokenRequestLimits.Check(new Dictionary<string, string> { [name] = new string('a', cap) }));
            Assert.Equal($"Parameter '{name}' is longer than {cap} characters.",
                TokenRequestLimits.Check(new Dictionary<string, string> { [name] = new string('a', cap + 1) })!.Description);
        }
        var many = Enumerable.Range(0, TokenRequestLimits.MaxParameters + 1).ToDictionary(i => $"p{i}", _ => "x");
        Assert.NotNull(TokenRequestLimits.Check(many));
    }
}
