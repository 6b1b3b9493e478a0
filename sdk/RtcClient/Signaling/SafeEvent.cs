using Microsoft.Extensions.Logging;

namespace RtcClient.Signaling;

/// <summary>
/// Raises an application event so that one throwing subscriber neither skips the others nor kills the
/// SDK loop that raised it: the exception is logged and dropped.
/// </summary>
internal static class SafeEvent
{
    public static void Raise<T>(EventHandler<T>? handler, object sender, T args, ILogger logger, string name)
    {
        if (handler is null) return;
        foreach (var subscriber in handler.GetInvocationList())
        {
            try
            {
                ((EventHandler<T>)subscriber)(sender, args);
            }
            catch (Exception e)
            {
                logger.LogError(e, "a {Event} subscriber threw; the SDK carries on", name);
            }
        }
    }
}
