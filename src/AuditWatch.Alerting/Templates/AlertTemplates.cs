using Microsoft.Extensions.Configuration;

namespace AuditWatch.Alerting.Templates;

/// <summary>The <c>Templates</c> section: the title (Slack header, mail subject) and the opening text of a message.</summary>
public sealed record AlertTemplates(MessageTemplate Title, MessageTemplate Text)
{
    public const string DefaultTitle = "[{{severity}}] {{title}}: {{who}}";
    public const string DefaultText = "{{summary}}";

    public static AlertTemplates From(IConfiguration configuration, List<string> errors) => new(
        MessageTemplate.Parse(configuration["Templates:Title"] ?? DefaultTitle, "Templates:Title", errors),
        MessageTemplate.Parse(configuration["Templates:Text"] ?? DefaultText, "Templates:Text", errors));
}
