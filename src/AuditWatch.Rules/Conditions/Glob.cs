using System.Text;
using System.Text.RegularExpressions;

namespace AuditWatch.Rules.Conditions;

/// <summary>Whole-value globs: <c>*</c> any run of characters, <c>?</c> one character, everything else literal.</summary>
internal static class Glob
{
    public static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        foreach (var c in pattern)
        {
            regex.Append(c switch
            {
                '*' => ".*",
                '?' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }
}
