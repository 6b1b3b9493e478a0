using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RtcClient.Http3.AspNetCore;

namespace RtcClient.Http3.Tests.AspNetCore;

public sealed record Item(string Name, int N);

/// <summary>The minimal-API application the tests (in memory and over QUIC) run on <see cref="RtcHttp3Server"/>.</summary>
internal static class MinimalApiApp
{
    public static WebApplication Build(Action<Http3ServerOptions> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseRtcHttp3(configure);
        builder.Services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGet("/hello", (HttpContext ctx) => Results.Json(new { message = "hi", protocol = ctx.Request.Protocol }));
        app.MapPost("/items", (Item item) => Results.Json(item with { N = item.N + 1 }));
        app.MapGet("/stream", async (HttpContext ctx) =>
        {
            ctx.Response.ContentType = "text/plain";
            for (int i = 0; i < 5; i++)
            {
                await ctx.Response.WriteAsync($"chunk{i}\n");
                await ctx.Response.Body.FlushAsync();
            }

            ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseTrailersFeature>()!.Trailers["x-chunks"] = "5";
        });
        app.MapGet("/secure", (HttpContext ctx) => "secret for " + ctx.User.Identity!.Name).RequireAuthorization();
        app.Map("/wt", async (HttpContext ctx) =>
        {
            var wt = ctx.Features.Get<IRtcWebTransportFeature>();
            if (wt is null || !wt.IsWebTransportRequest)
            {
                ctx.Response.StatusCode = 400;
                return;
            }

            var session = await wt.AcceptAsync();
            await Connection.WebTransportTests.EchoHandlerSession(session);
        });
        return app;
    }

    public static RtcHttp3Server Server(WebApplication app) => (RtcHttp3Server)app.Services.GetRequiredService<IServer>();
}
