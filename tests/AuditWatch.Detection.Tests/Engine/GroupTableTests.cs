using AuditWatch.Detection.Engine;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Detection.Tests.Builders;

namespace AuditWatch.Detection.Tests.Engine;

/// <summary>
/// A rule's group table finds exactly the groups it holds, checked against a dictionary over long random runs of
/// groups opened and forgotten in any order, the table growing and shrinking as it goes.
/// </summary>
public sealed class GroupTableTests
{
    private static readonly DetectorFactory Factory = new(TestRules.Distinct(), new DetectionOptions(), new PipelineCounters());

    [Theory]
    [InlineData(50, 1)]
    [InlineData(2_000, 2)]
    [InlineData(30_000, 3)]
    public void Finds_the_groups_it_holds_and_none_it_forgot(int keys, int seed)
    {
        var random = new Random(seed);
        var table = new GroupTable();
        var oracle = new Dictionary<string, GroupDetector>(StringComparer.Ordinal);
        var held = new List<GroupDetector>();
        for (var step = 0; step < 20 * keys; step++)
        {
            // The key in a new instance: groups are found by their text, not by the decoder's sharing of it.
            var key = new string($"system:serviceaccount:ns-{random.Next(keys)}:worker".AsSpan());
            var found = table.Find(key);
            Assert.Same(oracle.GetValueOrDefault(key), found);
            if (found is null && random.Next(4) != 0)
            {
                var group = Factory.Create(key);
                table.Add(group);
                oracle.Add(key, group);
                held.Add(group);
            }

            // Forget one at random now and then, more often as the table fills, so that the count goes up and down.
            if (held.Count > 0 && random.Next(keys) < held.Count / 2 + (step / keys % 4 == 3 ? keys : 0))
            {
                var at = random.Next(held.Count);
                var forgotten = held[at];
                held[at] = held[^1];
                held.RemoveAt(held.Count - 1);
                table.Remove(forgotten);
                oracle.Remove(forgotten.GroupKey);
                Assert.Null(table.Find(forgotten.GroupKey));
            }

            Assert.Equal(oracle.Count, table.Count);
        }

        Assert.All(oracle, entry => Assert.Same(entry.Value, table.Find(new string(entry.Key.AsSpan()))));
    }

    [Fact]
    public void Forgetting_most_groups_gives_the_slots_back()
    {
        var table = new GroupTable();
        var groups = Enumerable.Range(0, 100_000).Select(i => Factory.Create($"user-{i}")).ToList();
        groups.ForEach(table.Add);
        var slotsAtPeak = table.Slots;

        groups.Skip(10).ToList().ForEach(table.Remove);

        Assert.True(slotsAtPeak >= 131_072, $"{slotsAtPeak} slots for 100,000 groups");
        Assert.True(table.Slots <= 64, $"{table.Slots} slots left for 10 groups");
        Assert.All(groups.Take(10), group => Assert.Same(group, table.Find(group.GroupKey)));
    }

    [Fact]
    public void Removing_a_group_it_does_not_hold_is_an_error_naming_the_group()
    {
        var table = new GroupTable();
        table.Add(Factory.Create("alice"));

        var error = Assert.Throws<InvalidOperationException>(() => table.Remove(Factory.Create("bob")));

        Assert.Contains("'bob'", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, table.Count);
    }
}
