using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace AuditWatch.Rules.Yaml;

/// <summary>
/// Checks a YAML text before it is loaded into nodes, with the parser's flat event stream. Loading and every reader of
/// the nodes recurse, so deep nesting would overflow the stack (which no catch survives), and aliases share nodes, so a
/// few lines of anchors of anchors (a "billion laughs") would make the readers walk billions of nodes. Whatever this
/// check accepts, the same parser reads again when the nodes are loaded.
/// </summary>
internal static class YamlLimits
{
    /// <summary>Rules nest a handful of levels; Sigma a few more. Counted with aliases expanded.</summary>
    public const int MaxDepth = 64;

    /// <summary>Far above any real rules file (a few hundred nodes), far below what would hang loading.</summary>
    public const long MaxExpandedNodes = 100_000;

    /// <summary>Throws a <see cref="YamlException"/> at the offending place, as a syntax error would be reported.</summary>
    public static void Check(string text)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, (long Nodes, int Height)>(StringComparer.Ordinal);
        var open = new Stack<Collection>();
        long nodes = 0;
        while (Next(parser))
        {
            switch (parser.Current)
            {
                case DocumentStart:
                    anchors.Clear();
                    nodes = 0;
                    break;
                case NodeEvent { } node and (SequenceStart or MappingStart):
                    nodes++;
                    if (open.Count + 1 > MaxDepth)
                    {
                        throw new YamlException(node.Start, node.End, $"nesting deeper than {MaxDepth} levels");
                    }

                    open.Push(new Collection(node.Anchor.IsEmpty ? null : node.Anchor.Value, nodes, node is MappingStart));
                    break;
                case SequenceEnd or MappingEnd:
                    var closed = open.Pop();
                    if (closed.IsMapping && closed.Children % 2 == 1)
                    {
                        // The parser emits this for some broken keys (a line holding only ':'); loading would throw.
                        throw new YamlException(closed.LastChild, closed.LastChild, "a mapping key without a value");
                    }

                    Add(closed.Anchor, nodes - closed.NodesBefore + 1, closed.Height + 1);
                    break;
                case Scalar scalar:
                    nodes++;
                    Add(scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value, 1, 0);
                    break;
                case AnchorAlias alias:
                    var (aliased, height) = anchors.GetValueOrDefault(alias.Value.Value, (1, 0));
                    nodes += aliased;
                    if (open.Count + height > MaxDepth)
                    {
                        throw new YamlException(alias.Start, alias.End, $"alias *{alias.Value.Value} nests deeper than {MaxDepth} levels");
                    }

                    Add(null, aliased, height);
                    break;
            }

            if (nodes > MaxExpandedNodes)
            {
                throw new YamlException(parser.Current!.Start, parser.Current.End, $"more than {MaxExpandedNodes} nodes once aliases are expanded");
            }
        }

        void Add(string? anchor, long count, int height)
        {
            if (anchor is not null)
            {
                anchors[anchor] = (count, height);
            }

            if (open.TryPeek(out var parent))
            {
                parent.Height = Math.Max(parent.Height, height);
                parent.Children++;
                parent.LastChild = parser.Current!.Start;
            }
        }
    }

    /// <summary>The parser, with its own failures (an InvalidOperationException on some broken flow collections) made YAML errors.</summary>
    private static bool Next(Parser parser)
    {
        try
        {
            return parser.MoveNext();
        }
        catch (InvalidOperationException)
        {
            var at = parser.Current?.End ?? Mark.Empty;
            throw new YamlException(at, at, "the YAML parser could not read what follows (a broken flow collection or scalar)");
        }
    }

    private sealed class Collection(string? anchor, long nodesBefore, bool isMapping)
    {
        public bool IsMapping { get; } = isMapping;

        public int Children { get; set; }

        public Mark LastChild { get; set; } = Mark.Empty;

        public string? Anchor { get; } = anchor;

        /// <summary>The node count when the collection opened, itself included.</summary>
        public long NodesBefore { get; } = nodesBefore;

        /// <summary>The height of its deepest child, with aliases expanded.</summary>
        public int Height { get; set; }
    }
}
