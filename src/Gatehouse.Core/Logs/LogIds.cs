using Gatehouse.Core.Security;

namespace Gatehouse.Core.Logs;

/// <summary>
/// Log ids that sort lexicographically in time order: 20 digits of UTC ticks (made strictly increasing within this
/// process) followed by 8 random hex digits, so ids from several nodes do not collide.
/// </summary>
public sealed class LogIds(TimeProvider time)
{
    private long _lastTicks;

    public string Next()
    {
        var now = time.GetUtcNow().UtcTicks;
        long ticks;
        long last;
        do
        {
            last = Interlocked.Read(ref _lastTicks);
            ticks = Math.Max(now, last + 1);
        }
        while (Interlocked.CompareExchange(ref _lastTicks, ticks, last) != last);
        return ticks.ToString("D20", System.Globalization.CultureInfo.InvariantCulture) + Secrets.RandomHex(4);
    }
}
