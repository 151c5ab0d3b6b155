using System.Text;
using System.Text.RegularExpressions;
using AuditWatch.Rules.Conditions;

namespace AuditWatch.Rules.Tests.Fuzzing;

/// <summary>
/// Globs match as the regexes they replaced (* as .*, ? as ., Singleline), without building one; the whole value, so a
/// trailing newline is no longer let through by the regex's '$'.
/// </summary>
public sealed class WildcardPatternTests
{
    [Fact]
    public void Globs_agree_with_the_equivalent_regex_on_random_patterns_and_values()
    {
        var random = new Random(99);
        for (var i = 0; i < 20_000; i++)
        {
            var pattern = RandomText(random, "ab*?\n", random.Next(8));
            var value = RandomText(random, "ab\n", random.Next(10));
            var regex = new Regex("^" + string.Concat(pattern.Select(c => c switch { '*' => ".*", '?' => ".", _ => Regex.Escape(c.ToString()) })) + @"\z",
                RegexOptions.Singleline | RegexOptions.CultureInvariant);

            Assert.True(regex.IsMatch(value) == WildcardPattern.Glob(pattern).IsMatch(value), $"glob '{pattern}' on '{value}'");
        }
    }

    [Fact]
    public void Patterns_with_literal_stars_and_question_marks_agree_with_the_equivalent_regex()
    {
        // As Sigma's escaped wildcards come: a '*' or '?' character may be a literal, and the literal ends of a pattern
        // are compared as spans before the walk.
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var text = RandomText(random, "ab*?", random.Next(8));
            var tokens = text.Select(c => c is '*' or '?' && random.Next(2) == 0
                ? c == '*' ? WildcardToken.AnyRun : WildcardToken.AnyOne
                : WildcardToken.Literal).ToArray();
            var value = RandomText(random, "ab*?", random.Next(10));
            var regex = new Regex("^" + string.Concat(text.Zip(tokens, (c, t) => t switch
            {
                WildcardToken.AnyRun => ".*",
                WildcardToken.AnyOne => ".",
                _ => Regex.Escape(c.ToString()),
            })) + @"\z", RegexOptions.Singleline | RegexOptions.CultureInvariant);

            Assert.True(
                regex.IsMatch(value) == WildcardPattern.Of(text, tokens, ignoreCase: false).IsMatch(value),
                $"'{text}' ({string.Join(",", tokens)}) on '{value}'");
        }
    }

    [Fact]
    public void A_long_glob_is_cheap_to_build_and_to_match()
    {
        var pattern = string.Concat(Enumerable.Repeat("*a", 5_000));
        var glob = WildcardPattern.Glob(pattern);

        Assert.True(glob.IsMatch(new string('a', 5_000)));
        Assert.False(glob.IsMatch(new string('a', 4_999) + "b"));
    }

    private static string RandomText(Random random, string alphabet, int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return text.ToString();
    }
}
