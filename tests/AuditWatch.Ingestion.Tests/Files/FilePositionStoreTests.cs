using AuditWatch.Ingestion.Sources.Files;

namespace AuditWatch.Ingestion.Tests.Files;

/// <summary>Read positions stay in their one file in the data directory, whatever the tailed files are called.</summary>
public sealed class FilePositionStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("auditwatch-positions-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Hostile_file_names_neither_write_elsewhere_nor_corrupt_the_state()
    {
        var data = Path.Combine(_root, "data");
        string[] names =
        [
            Path.Combine(_root, "logs", "..", "..", "escape.json"),
            Path.Combine(_root, "logs", "audit\n{\"forged\":1}.log"),
            Path.Combine(_root, "logs", "file-positions.json"),
            Path.Combine(_root, "logs", "file-positions.json.tmp"),
            Path.Combine(_root, "logs", "\"quoted\\\" \u001b[2J.log"),
        ];
        var store = new FilePositionStore(data);

        for (var i = 0; i < names.Length; i++)
        {
            store.Save(names[i], new FilePosition((ulong)i + 1, i * 100, i));
        }

        Assert.Equal(["file-positions.json"], Directory.EnumerateFileSystemEntries(data).Select(Path.GetFileName));
        Assert.Equal(["data"], Directory.EnumerateFileSystemEntries(_root).Select(Path.GetFileName));
        Assert.False(File.Exists(Path.GetFullPath(names[0])));
        var reloaded = new FilePositionStore(data);
        for (var i = 0; i < names.Length; i++)
        {
            Assert.Equal(new FilePosition((ulong)i + 1, i * 100, i), reloaded.Get(names[i]));
        }
    }
}
