using System.Text.Json;
using System.Text.Json.Serialization;

namespace AuditWatch.Core.Alerts;

/// <summary>Writes enum members the way the alert contract spells them: "high", "firing".</summary>
public sealed class LowercaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;
