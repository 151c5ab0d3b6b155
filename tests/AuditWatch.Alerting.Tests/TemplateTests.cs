using AuditWatch.Alerting.Templates;

namespace AuditWatch.Alerting.Tests;

public sealed class TemplateTests
{
    [Fact]
    public void Placeholders_are_replaced_and_escaped_for_the_sink()
    {
        var errors = new List<string>();
        var template = MessageTemplate.Parse("[{{severity}}] {{rule}} by {{ who }}", "Templates:Title", errors);

        var html = template.Render(Alerts.Make(user: "<script>alert(1)</script>"), Escaping.Html);

        Assert.Empty(errors);
        Assert.Equal("[HIGH] secret-read-burst by &lt;script&gt;alert(1)&lt;/script&gt;", html);
    }

    [Fact]
    public void Unknown_placeholders_are_configuration_errors()
    {
        var errors = new List<string>();

        MessageTemplate.Parse("{{user}} {{password}}", "Templates:Text", errors);

        Assert.Equal("Templates:Text: unknown placeholder {{password}}", Assert.Single(errors).Split(" (")[0]);
    }
}
