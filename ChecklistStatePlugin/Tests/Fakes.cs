using System;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Metadata;
using Microsoft.Xrm.Sdk.Query;

namespace Work365.ChecklistStatePlugin.Tests
{
    /// <summary>What Dataverse hands a plug-in: a context, tracing and an organisation service, all in memory.</summary>
    internal sealed class FakeServiceProvider : IServiceProvider
    {
        public FakeContext Context { get; } = new FakeContext();
        public FakeTracing Tracing { get; } = new FakeTracing();
        public FakeOrganizationService Service { get; } = new FakeOrganizationService();

        public object? GetService(Type serviceType)
        {
            if (serviceType == typeof(IPluginExecutionContext)) return Context;
            if (serviceType == typeof(ITracingService)) return Tracing;
            if (serviceType == typeof(IOrganizationServiceFactory)) return new Factory(Service);
            return null;
        }

        private sealed class Factory : IOrganizationServiceFactory
        {
            private readonly FakeOrganizationService service;
            public Factory(FakeOrganizationService service) { this.service = service; }

            public IOrganizationService CreateOrganizationService(Guid? userId)
            {
                service.CreatedFor.Add(userId);
                return service;
            }
        }
    }

    internal sealed class FakeContext : IPluginExecutionContext
    {
        public string MessageName { get; set; } = "Update";
        public string PrimaryEntityName { get; set; } = "w365_setup";
        public Guid PrimaryEntityId { get; set; } = Guid.Parse("5e7a0000-0000-0000-0000-000000000001");
        public int Depth { get; set; } = 1;
        public Guid InitiatingUserId { get; set; } = Users.Sam;
        public ParameterCollection InputParameters { get; } = new ParameterCollection();
        public EntityImageCollection PreEntityImages { get; } = new EntityImageCollection();
        public int Stage { get; set; } = 20;
    }

    internal sealed class FakeTracing : ITracingService
    {
        public List<string> Lines { get; } = new List<string>();
        public void Trace(string format, params object[] args) => Lines.Add(string.Format(format, args));
    }

    internal static class Users
    {
        public static readonly Guid Dana = Guid.Parse("9a000000-0000-0000-0000-00000000000a");
        public static readonly Guid Sam = Guid.Parse("9b000000-0000-0000-0000-00000000000b");
    }

    /// <summary>Answers the reads the guard makes: a user's name and language, a stored row, a column's metadata.</summary>
    internal sealed class FakeOrganizationService : IOrganizationService
    {
        public Dictionary<Guid, string> FullNames { get; } = new Dictionary<Guid, string> { [Users.Dana] = "Dana Admin", [Users.Sam] = "Sam Installer" };
        public Dictionary<Guid, int> Languages { get; } = new Dictionary<Guid, int>();
        public Dictionary<(string Table, Guid Id), Dictionary<string, object>> Rows { get; } = new Dictionary<(string Table, Guid Id), Dictionary<string, object>>();
        public int? MaxLength { get; set; } = 1048576;
        public bool MemoColumn { get; set; } = true;
        public List<string> Calls { get; } = new List<string>();
        public List<Guid?> CreatedFor { get; } = new List<Guid?>();

        public Entity Retrieve(string entityName, Guid id, ColumnSet columnSet)
        {
            Calls.Add($"Retrieve {entityName} {id} {string.Join(",", columnSet.Columns)}");
            var entity = new Entity(entityName);
            if (entityName == "systemuser" && FullNames.TryGetValue(id, out var name)) entity["fullname"] = name;
            else if (entityName == "usersettings") entity["uilanguageid"] = Languages.TryGetValue(id, out var language) ? language : 1033;
            else if (Rows.TryGetValue((entityName, id), out var row)) foreach (var pair in row) entity[pair.Key] = pair.Value;
            else throw new InvalidOperationException($"{entityName} With Id = {id} Does Not Exist");
            return entity;
        }

        public OrganizationResponse Execute(OrganizationRequest request)
        {
            if (!(request is RetrieveAttributeRequest attribute)) throw new NotSupportedException(request.RequestName);
            Calls.Add($"RetrieveAttribute {attribute.EntityLogicalName}.{attribute.LogicalName}");
            var response = new RetrieveAttributeResponse();
            response.Results["AttributeMetadata"] = MemoColumn ? new MemoAttributeMetadata { MaxLength = MaxLength } : (AttributeMetadata)new StringAttributeMetadata { MaxLength = MaxLength };
            return response;
        }
    }
}
