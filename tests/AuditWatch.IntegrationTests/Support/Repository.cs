namespace AuditWatch.IntegrationTests.Support;

/// <summary>Files of the repository itself (deploy/, docker-compose.yml), found by walking up to AuditWatch.sln.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "AuditWatch.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("the tests must run inside the AuditWatch repository");
    }
}
