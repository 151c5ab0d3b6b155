using System.Text;
using AuditWatch.Fuzzing.Targets;

namespace AuditWatch.Fuzzing.Mutation;

/// <summary>
/// A seeded, reproducible mutator of real inputs: bit flips, byte insertion and deletion, splices of other seeds,
/// truncation, deep nesting, huge numbers and strings, invalid UTF-8, duplicated keys and wrong types in known fields
/// (JSON), anchors, aliases and alias bombs (YAML). The same seed always yields the same sequence of cases.
/// </summary>
public sealed class InputMutator
{
    private static readonly byte[][] InvalidUtf8 = [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0x80], [0xE2, 0x82]];
    private static readonly int[] Depths = [65, 100, 1000, 10_000, 100_000];
    private static readonly int[] Lengths = [257, 4097, 16 * 1024 + 1, 100_000];

    private readonly IReadOnlyList<byte[]> _seeds;
    private readonly InputDialect _dialect;
    private readonly Random _random;

    public InputMutator(IReadOnlyList<byte[]> seeds, InputDialect dialect, int seed)
    {
        _seeds = seeds.Count > 0 ? seeds : [[]];
        _dialect = dialect;
        _random = new Random(seed);
    }

    public byte[] Next()
    {
        var input = new List<byte>(_seeds[_random.Next(_seeds.Count)]);
        var rounds = 1 + _random.Next(4);
        for (var i = 0; i < rounds; i++)
        {
            Mutate(input);
        }

        return [.. input];
    }

    private void Mutate(List<byte> input)
    {
        switch (_random.Next(13))
        {
            case 0 when input.Count > 0:
                var at = _random.Next(input.Count);
                input[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when input.Count > 0:
                input[_random.Next(input.Count)] = (byte)_random.Next(256);
                break;
            case 2 when input.Count > 0:
                var start = _random.Next(input.Count);
                input.RemoveRange(start, Math.Min(input.Count - start, 1 + _random.Next(64)));
                break;
            case 3:
                Insert(input, Pick(_dialect == InputDialect.Json ? MutationTokens.JsonTokens : MutationTokens.YamlTokens));
                break;
            case 4 when input.Count > 0:
                var from = _random.Next(input.Count);
                var length = Math.Min(input.Count - from, 1 + _random.Next(256));
                Insert(input, [.. input.GetRange(from, length)]);
                break;
            case 5:
                var other = _seeds[_random.Next(_seeds.Count)];
                if (other.Length > 0)
                {
                    var offset = _random.Next(other.Length);
                    Insert(input, other.AsSpan(offset, Math.Min(other.Length - offset, 1 + _random.Next(512))).ToArray());
                }

                break;
            case 6 when input.Count > 0:
                var cut = _random.Next(input.Count);
                input.RemoveRange(cut, input.Count - cut);
                break;
            case 7:
                Insert(input, Nesting(Depths[_random.Next(Depths.Length)]));
                break;
            case 8:
                Insert(input, Encoding.UTF8.GetBytes(_random.Next(3) switch
                {
                    0 => new string('9', 1 + _random.Next(1000)),
                    1 => "1e" + new string('9', 1 + _random.Next(20)),
                    _ => "-0." + new string('0', _random.Next(500)) + "1",
                }));
                break;
            case 9:
                Insert(input, HugeString(Lengths[_random.Next(Lengths.Length)]));
                break;
            case 10:
                Insert(input, Pick(InvalidUtf8));
                break;
            case 11:
                InsertField(input);
                break;
            default:
                if (_dialect == InputDialect.Yaml)
                {
                    Insert(input, AliasBomb(2 + _random.Next(8)));
                }
                else
                {
                    Insert(input, Pick(MutationTokens.JsonTokens));
                }

                break;
        }
    }

    private byte[] Nesting(int depth)
    {
        var unit = _dialect == InputDialect.Json
            ? (_random.Next(2) == 0 ? "[" : "{\"a\":")
            : _random.Next(5) switch { 0 => "[", 1 => "{a: ", 2 => "- ", 3 => "(", _ => "not " };
        var text = new StringBuilder(unit.Length * depth);
        for (var i = 0; i < depth; i++)
        {
            text.Append(unit);
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private byte[] HugeString(int length)
    {
        var body = _random.Next(3) switch
        {
            0 => new string('a', length),
            1 => string.Concat(Enumerable.Repeat("\\u0041", length / 6 + 1)),
            _ => string.Concat(Enumerable.Repeat("\\\"", length / 2 + 1)),
        };
        return Encoding.UTF8.GetBytes("\"" + body + "\"");
    }

    /// <summary>A known field with a value of a wrong or odd type, after an opening brace (JSON) or at a line start (YAML).</summary>
    private void InsertField(List<byte> input)
    {
        if (_dialect == InputDialect.Json)
        {
            var text = $"\"{Pick(MutationTokens.JsonKeys)}\":{Pick(MutationTokens.JsonValues)},";
            var braces = Enumerable.Range(0, input.Count).Where(i => input[i] == '{').ToList();
            var at = braces.Count > 0 ? braces[_random.Next(braces.Count)] + 1 : 0;
            input.InsertRange(at, Encoding.UTF8.GetBytes(text));
            return;
        }

        var lines = Enumerable.Range(0, input.Count).Where(i => input[i] == '\n').ToList();
        var lineStart = lines.Count > 0 ? lines[_random.Next(lines.Count)] + 1 : 0;
        var indent = new string(' ', 2 * _random.Next(4));
        input.InsertRange(lineStart, Encoding.UTF8.GetBytes($"{indent}{Pick(MutationTokens.YamlKeys)}: {Pick(MutationTokens.YamlValues)}\n"));
    }

    /// <summary>Anchors whose aliases multiply at every level: tiny as text, exponential when expanded or walked.</summary>
    private static byte[] AliasBomb(int levels)
    {
        var text = new StringBuilder("\nbomb0: &b0 {field: verb, equals: get}\n");
        for (var i = 1; i <= levels; i++)
        {
            text.Append("bomb").Append(i).Append(": &b").Append(i).Append(" {any: [");
            text.AppendJoin(", ", Enumerable.Repeat($"*b{i - 1}", 10));
            text.Append("]}\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private void Insert(List<byte> input, byte[] bytes) => input.InsertRange(_random.Next(input.Count + 1), bytes);

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
