using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Metadata;
using Microsoft.Xrm.Sdk.Query;
using ChecklistStateGuard = Work365.ChecklistStatePlugin.ChecklistStateGuard;

// The playground's Dataverse emulator (playground/emulator/plugin-host.cjs) starts this once and
// sends it, one JSON line at a time on stdin, every create and update of the settings row. It runs
// the plug-in as Dataverse would (PreOperation, with the pre-image), answering the plug-in's reads
// by asking the emulator back on the same pipe, and writes the outcome as one JSON line on stdout:
//
//   emulator → host  {"type":"execute","message":"Update","table":"w365_setup","id":"…","depth":1,
//                     "initiatingUserId":"…","now":"…","configuration":null,"target":{…},"preImage":{…}|null}
//   host → emulator  {"type":"retrieve","table":"systemuser","id":"…","columns":["fullname"]}
//                    {"type":"retrieve-attribute","table":"w365_setup","column":"w365_checkliststate"}
//   emulator → host  {"type":"row","attributes":{…}} | {"type":"attribute","maxLength":N,"memo":true} | {"type":"error","message":"…"}
//   host → emulator  {"type":"done","target":{…},"trace":[…]} | {"type":"refused","message":"…","trace":[…]}
//                    | {"type":"failed","message":"…","trace":[…]}
//
// With --bench FILE it instead times Execute for each case of FILE ({"runs":N,"cases":{name:{stored,incoming}}})
// with in-process reads, and writes {name:{medianMs,minMs,runs}} (npm run bench).
if (args.Length == 2 && args[0] == "--bench")
{
    Console.WriteLine(Bench.Run(JsonNode.Parse(File.ReadAllText(args[1]))!.AsObject()).ToJsonString());
    return;
}

var input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
var pipe = new Pipe(input, output);
// One instance per step configuration, reused, as Dataverse keeps them.
var guards = new Dictionary<string, ChecklistStateGuard>(StringComparer.Ordinal);
// The emulator's clock, for the request at hand: its stamps then agree with the row's modifiedon.
var now = DateTime.UtcNow;
JsonObject? request;
while ((request = pipe.Receive()) != null)
{
    var trace = new List<string>();
    try
    {
        var configuration = request["configuration"]?.GetValue<string>();
        now = DateTime.Parse(request["now"]!.GetValue<string>(), null, System.Globalization.DateTimeStyles.AdjustToUniversal);
        var key = configuration ?? "";
        if (!guards.TryGetValue(key, out var guard)) guards[key] = guard = new ChecklistStateGuard(configuration, null, () => now);
        var table = request["table"]!.GetValue<string>();
        var target = ToEntity(table, request["target"]!.AsObject());
        var context = new Context(
            request["message"]!.GetValue<string>(),
            table,
            Guid.Parse(request["id"]!.GetValue<string>()),
            request["depth"]?.GetValue<int>() ?? 1,
            Guid.Parse(request["initiatingUserId"]!.GetValue<string>()));
        context.InputParameters["Target"] = target;
        if (request["preImage"] is JsonObject image) context.PreEntityImages[ChecklistStateGuard.PreImageName] = ToEntity(table, image);
        guard.Execute(new Services(context, new Tracing(trace), new Service(pipe)));
        var attributes = new JsonObject();
        foreach (var pair in target.Attributes) attributes[pair.Key] = pair.Value == null ? null : JsonValue.Create(pair.Value.ToString());
        pipe.Send(new JsonObject { ["type"] = "done", ["target"] = attributes, ["trace"] = Lines(trace) });
    }
    catch (InvalidPluginExecutionException refusal)
    {
        pipe.Send(new JsonObject { ["type"] = "refused", ["message"] = refusal.Message, ["trace"] = Lines(trace) });
    }
    catch (Exception error)
    {
        pipe.Send(new JsonObject { ["type"] = "failed", ["message"] = error.GetType().Name + ": " + error.Message, ["trace"] = Lines(trace) });
    }
}

static JsonArray Lines(List<string> lines)
{
    var array = new JsonArray();
    foreach (var line in lines) array.Add(line);
    return array;
}

static Entity ToEntity(string table, JsonObject attributes)
{
    var entity = new Entity(table);
    // Text columns only: the emulator's settings table has no others the plug-in reads.
    foreach (var pair in attributes) entity[pair.Key] = pair.Value?.GetValue<string>()!;
    return entity;
}

/// <summary>JSON lines both ways; a request may ask back several times before it answers.</summary>
sealed class Pipe(StreamReader input, StreamWriter output)
{
    public JsonObject? Receive()
    {
        var line = input.ReadLine();
        return line == null ? null : JsonNode.Parse(line)!.AsObject();
    }

    public void Send(JsonObject message) => output.WriteLine(message.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

    public JsonObject Ask(JsonObject question)
    {
        Send(question);
        var answer = Receive() ?? throw new EndOfStreamException("The emulator closed the pipe.");
        if (answer["type"]?.GetValue<string>() == "error") throw new InvalidOperationException(answer["message"]?.GetValue<string>());
        return answer;
    }
}

sealed class Services(IPluginExecutionContext context, ITracingService tracing, IOrganizationService service) : IServiceProvider, IOrganizationServiceFactory
{
    public object? GetService(Type serviceType) =>
        serviceType == typeof(IPluginExecutionContext) ? context
        : serviceType == typeof(ITracingService) ? tracing
        : serviceType == typeof(IOrganizationServiceFactory) ? this
        : null;

    public IOrganizationService CreateOrganizationService(Guid? userId) => service;
}

sealed class Context(string message, string table, Guid id, int depth, Guid initiatingUserId) : IPluginExecutionContext
{
    public string MessageName => message;
    public string PrimaryEntityName => table;
    public Guid PrimaryEntityId => id;
    public int Depth => depth;
    public Guid InitiatingUserId => initiatingUserId;
    public ParameterCollection InputParameters { get; } = new ParameterCollection();
    public EntityImageCollection PreEntityImages { get; } = new EntityImageCollection();
    public int Stage => 20;
}

sealed class Tracing(List<string> lines) : ITracingService
{
    public void Trace(string format, params object[] args) => lines.Add(string.Format(format, args));
}

/// <summary>The plug-in's organisation service: each read is a question to the emulator.</summary>
sealed class Service(Pipe pipe) : IOrganizationService
{
    public Entity Retrieve(string entityName, Guid id, ColumnSet columnSet)
    {
        var columns = new JsonArray();
        foreach (var column in columnSet.Columns) columns.Add(column);
        var answer = pipe.Ask(new JsonObject { ["type"] = "retrieve", ["table"] = entityName, ["id"] = id.ToString("D"), ["columns"] = columns });
        var entity = new Entity(entityName);
        foreach (var pair in answer["attributes"]!.AsObject())
        {
            if (pair.Value is JsonValue value) entity[pair.Key] = value.TryGetValue<int>(out var number) ? number : value.ToString();
        }
        return entity;
    }

    public OrganizationResponse Execute(OrganizationRequest request)
    {
        if (!(request is RetrieveAttributeRequest attribute)) throw new NotSupportedException("The emulator host answers RetrieveAttribute only, not " + request.RequestName);
        var answer = pipe.Ask(new JsonObject { ["type"] = "retrieve-attribute", ["table"] = attribute.EntityLogicalName, ["column"] = attribute.LogicalName });
        var maxLength = answer["maxLength"]?.GetValue<int>();
        var response = new RetrieveAttributeResponse();
        response.Results["AttributeMetadata"] = answer["memo"]?.GetValue<bool>() == true ? new MemoAttributeMetadata { MaxLength = maxLength } : new StringAttributeMetadata { MaxLength = maxLength };
        return response;
    }
}

/// <summary>Execute's own time, for npm run bench: the reads are answered in process, so no pipe is timed.</summary>
static class Bench
{
    private static readonly Guid User = Guid.Parse("11111111-0000-4000-8000-000000000001");

    public static JsonObject Run(JsonObject plan)
    {
        var runs = plan["runs"]!.GetValue<int>();
        var results = new JsonObject();
        foreach (var pair in plan["cases"]!.AsObject())
        {
            var stored = pair.Value!["stored"]!.GetValue<string>();
            var incoming = pair.Value!["incoming"]!.GetValue<string>();
            var guard = new ChecklistStateGuard(null, null, () => DateTime.UtcNow);
            var times = new List<double>();
            // Warm-up runs first: the JIT and the cached column length are not what an admin waits for on each save.
            for (var i = -5; i < runs; i++)
            {
                var target = new Entity("w365_setup") { ["w365_checkliststate"] = incoming };
                var context = new Context("Update", "w365_setup", Guid.NewGuid(), 1, User);
                context.InputParameters["Target"] = target;
                context.PreEntityImages[ChecklistStateGuard.PreImageName] = new Entity("w365_setup") { ["w365_checkliststate"] = stored };
                var watch = System.Diagnostics.Stopwatch.StartNew();
                guard.Execute(new Services(context, new Tracing(new List<string>()), new LocalService()));
                watch.Stop();
                if (i >= 0) times.Add(watch.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            results[pair.Key] = new JsonObject { ["medianMs"] = Math.Round(times[times.Count / 2], 3), ["minMs"] = Math.Round(times[0], 3), ["runs"] = runs };
        }
        return results;
    }

    private sealed class LocalService : IOrganizationService
    {
        public Entity Retrieve(string entityName, Guid id, ColumnSet columnSet) => new Entity(entityName) { ["fullname"] = "Avery Admin" };

        public OrganizationResponse Execute(OrganizationRequest request)
        {
            var response = new RetrieveAttributeResponse();
            response.Results["AttributeMetadata"] = new MemoAttributeMetadata { MaxLength = 1048576 };
            return response;
        }
    }
}
