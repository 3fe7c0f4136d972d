using System.ComponentModel;
using System.Globalization;

namespace Turn.Relay;

/// <summary>Binds "user:password" (split at the first colon, so passwords may hold colons).</summary>
public sealed class RelayUserConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        if (value is not string text) return base.ConvertFrom(context, culture, value);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        // An entry without a colon binds with an empty password; the validator reports it by key.
        return colon < 0
            ? new RelayUser { Name = text }
            : new RelayUser { Name = text[..colon], Password = text[(colon + 1)..] };
    }
}
