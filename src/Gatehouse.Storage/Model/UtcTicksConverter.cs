using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Gatehouse.Storage.Model;

/// <summary>Stores a DateTimeOffset as its UTC ticks; it reads back with offset zero (the same instant).</summary>
internal sealed class UtcTicksConverter : ValueConverter<DateTimeOffset, long>
{
    public UtcTicksConverter()
        : base(value => value.UtcTicks, ticks => new DateTimeOffset(ticks, TimeSpan.Zero))
    {
    }
}
