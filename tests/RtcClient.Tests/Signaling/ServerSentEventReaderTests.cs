using System.Text;
using RtcClient.Signaling;

namespace RtcClient.Tests.Signaling;

public class ServerSentEventReaderTests
{
    private static async Task<List<ServerSentEvent>> ReadAllAsync(string text)
    {
        var list = new List<ServerSentEvent>();
        await foreach (var e in ServerSentEventReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)))) list.Add(e);
        return list;
    }

    [Test]
    public async Task EventsSplitOnAnyLineEndingWithCommentsAndMultiLineData()
    {
        var events = await ReadAllAsync("\uFEFF: hello\r\nevent: incoming\r\nid: 7\r\ndata: a\rdata: b\n\ndata:c\n\nevent: lost\n");
        Assert.That(events, Has.Count.EqualTo(2));
        Assert.That(events[0], Is.EqualTo(new ServerSentEvent("incoming", "7", "a\nb")));
        Assert.That(events[1], Is.EqualTo(new ServerSentEvent("message", "7", "c")), "the last event ID persists (WHATWG)");
    }

    [Test]
    public void AnEndlessLineIsRefusedBeforeItIsBuffered()
    {
        var endless = new string('x', ServerSentEventReader.MaxLineLength + 10);
        Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync("data: " + endless));
    }
}
