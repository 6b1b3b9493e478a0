using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace RtcClient.Server.Events;

/// <summary>
/// Streams an <see cref="EventLog"/> as text/event-stream (WHATWG HTML section 9.2): "event:" is the type,
/// "id:" the seq, "data:" the JSON; a comment line as keep-alive. Replays from Last-Event-ID.
/// </summary>
public static class ServerSentEventsWriter
{
    /// <summary>Writes events until the log completes, the client goes away or <paramref name="stop"/> fires.</summary>
    public static async Task StreamAsync(HttpContext context, EventLog log, TimeSpan keepAlive, Func<(long Seq, string Type, string Json), bool>? replayFilter, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(log);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        long after = 0;
        bool replaying = false;
        if (long.TryParse(context.Request.Headers["Last-Event-ID"], out var lastId) && lastId >= 0)
        {
            after = lastId;
            replaying = true;
        }
        else if (replayFilter is not null)
        {
            replaying = true;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, context.RequestAborted);
        var token = linked.Token;
        var batch = new List<(long Seq, string Type, string Json)>();
        var text = new StringBuilder();
        await response.WriteAsync(": stream open\n\n", token).ConfigureAwait(false);
        await response.Body.FlushAsync(token).ConfigureAwait(false);
        try
        {
            while (!token.IsCancellationRequested)
            {
                batch.Clear();
                var changed = log.Read(after, batch, out bool completed);
                text.Clear();
                foreach (var e in batch)
                {
                    after = e.Seq;
                    if (replaying && replayFilter is not null && !replayFilter(e)) continue;
                    text.Append("event: ").Append(e.Type).Append('\n')
                        .Append("id: ").Append(e.Seq).Append('\n')
                        .Append("data: ").Append(e.Json).Append("\n\n");
                }
                replaying = false;
                if (text.Length > 0)
                {
                    await response.WriteAsync(text.ToString(), token).ConfigureAwait(false);
                    await response.Body.FlushAsync(token).ConfigureAwait(false);
                }
                if (completed) return;
                var delay = Task.Delay(keepAlive, token);
                if (await Task.WhenAny(changed, delay).ConfigureAwait(false) == delay && !token.IsCancellationRequested)
                {
                    await response.WriteAsync(": keepalive\n\n", token).ConfigureAwait(false);
                    await response.Body.FlushAsync(token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The client went away or the server is stopping: the stream just ends.
        }
    }
}
