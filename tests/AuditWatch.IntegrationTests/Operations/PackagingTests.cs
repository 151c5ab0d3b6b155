using System.Diagnostics;
using AuditWatch.IntegrationTests.Support;
using YamlDotNet.RepresentationModel;

namespace AuditWatch.IntegrationTests.Operations;

/// <summary>What operators deploy is checked with the tools they use: promtool, docker-compose, and a manifest walk.</summary>
public sealed class PackagingTests
{
    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task Prometheus_alert_rules_pass_promtool_check_and_their_unit_tests()
    {
        var directory = Repository.Path("deploy", "prometheus");

        var check = await RunAsync("/usr/bin/promtool", directory, "check", "rules", "auditwatch-alerts.yml");
        var test = await RunAsync("/usr/bin/promtool", directory, "test", "rules", "auditwatch-alerts.test.yml");

        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("SUCCESS: 12 rules found", check.Output, StringComparison.Ordinal);
        Assert.True(test.ExitCode == 0, test.Output);
    }

    [Fact]
    public async Task Docker_compose_file_is_valid_and_its_mounted_files_exist()
    {
        var config = await RunAsync("/usr/bin/docker-compose", Repository.Root, "config");

        Assert.True(config.ExitCode == 0, config.Output);
        foreach (var mount in new[] { "deploy/compose/prometheus.yml", "deploy/prometheus/auditwatch-alerts.yml", "deploy/compose/alertmanager.yml", "deploy/compose/grafana-datasource.yml", "deploy/grafana/dashboards/auditwatch-oncall.json", "Dockerfile" })
        {
            Assert.True(File.Exists(Repository.Path(mount.Split('/'))), mount);
        }

        foreach (var service in new[] { "kafka", "auditwatch", "prometheus", "alertmanager", "grafana", "mailpit", "replayer" })
        {
            Assert.Contains($"  {service}:", config.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Kubernetes_manifests_parse_and_refer_to_each_other_consistently()
    {
        var directory = Repository.Path("deploy", "kubernetes");
        var kustomization = Load(System.IO.Path.Combine(directory, "kustomization.yaml")).Single();
        var resources = ((YamlSequenceNode)kustomization["resources"]).Children.Select(r => ((YamlScalarNode)r).Value!).ToList();
        var documents = resources.SelectMany(r => Load(System.IO.Path.Combine(directory, r))).ToList();
        YamlMappingNode Kind(string kind) => documents.Single(d => Text(d, "kind") == kind);

        var deployment = Kind("Deployment");
        var podLabels = Labels(At(deployment, "spec", "template", "metadata", "labels"));
        var container = (YamlMappingNode)ListAt(deployment, "spec", "template", "spec", "containers").Children[0];
        var portNames = ((YamlSequenceNode)container["ports"]).Children.Select(p => Text((YamlMappingNode)p, "name")).ToList();
        var service = Kind("Service");
        var volumes = ListAt(deployment, "spec", "template", "spec", "volumes").Children.Cast<YamlMappingNode>().ToList();

        Assert.All(documents.Where(d => Text(d, "kind") != "Namespace"), d => Assert.Equal("auditwatch", Text(At(d, "metadata"), "namespace")));
        Assert.Equal(podLabels, Labels(At(deployment, "spec", "selector", "matchLabels")));
        Assert.Equal(podLabels, Labels(At(service, "spec", "selector")));
        Assert.Equal(podLabels, Labels(At(Kind("PodDisruptionBudget"), "spec", "selector", "matchLabels")));
        Assert.Equal(podLabels, Labels(At(Kind("NetworkPolicy"), "spec", "podSelector", "matchLabels")));
        Assert.All(ListAt(service, "spec", "ports").Children.Cast<YamlMappingNode>(), p => Assert.Contains(Text(p, "targetPort"), portNames));
        Assert.Contains(Text(At(container, "readinessProbe", "httpGet"), "port"), portNames);
        Assert.Contains(Text(At(container, "livenessProbe", "httpGet"), "port"), portNames);
        Assert.Equal("/readyz", Text(At(container, "readinessProbe", "httpGet"), "path"));
        Assert.Equal(Text(At(Kind("Secret"), "metadata"), "name"), Text(At(volumes.Single(v => Text(v, "name") == "webhook"), "secret"), "secretName"));
        Assert.Equal(Text(At(Kind("ConfigMap"), "metadata"), "name"), Text(At(volumes.Single(v => Text(v, "name") == "rules"), "configMap"), "name"));
        var secretKeys = ((YamlMappingNode)Kind("Secret")["stringData"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToList();
        var args = ((YamlSequenceNode)container["args"]).Children.Select(a => ((YamlScalarNode)a).Value!).ToList();
        foreach (var file in args.Where(a => a.Contains("/etc/auditwatch/webhook/", StringComparison.Ordinal)).Select(a => a[(a.LastIndexOf('/') + 1)..]))
        {
            Assert.Contains(file, secretKeys);
        }

        Assert.Contains(Text((YamlMappingNode)ListAt(Kind("ServiceMonitor"), "spec", "endpoints").Children[0], "port"), portNames);
    }

    [Fact]
    public void The_prometheus_rule_manifest_carries_the_same_rules_as_the_prometheus_file()
    {
        var file = Load(Repository.Path("deploy", "prometheus", "auditwatch-alerts.yml")).Single();
        var manifest = Load(Repository.Path("deploy", "kubernetes", "prometheusrule.yaml")).Single();

        Assert.Equal(Alerts(file["groups"]), Alerts(ListAt(manifest, "spec", "groups")));
    }

    private static IReadOnlyList<string> Alerts(YamlNode groups) =>
        [.. ((YamlSequenceNode)groups).Children.Cast<YamlMappingNode>()
            .SelectMany(g => ((YamlSequenceNode)g["rules"]).Children.Cast<YamlMappingNode>())
            .Select(r => $"{Text(r, "alert")} {Text(r, "expr")}")];

    private static List<YamlMappingNode> Load(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(path)));
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static YamlMappingNode At(YamlMappingNode node, params string[] keys) =>
        keys.Aggregate(node, (current, key) => (YamlMappingNode)current[key]);

    private static YamlSequenceNode ListAt(YamlMappingNode node, params string[] keys) =>
        (YamlSequenceNode)At(node, keys[..^1])[keys[^1]];

    private static string Text(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;

    private static Dictionary<string, string> Labels(YamlMappingNode node) =>
        node.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value!);
}
