// The plug-in contract: exactly the members ChecklistStatePlugin and its tests use, each on the
// type that declares it in Microsoft.Xrm.Sdk 9.0.0.0, written from Microsoft's API reference.
// Nothing here is shipped; see README.md ("Why the facade exists").
using System;

namespace Microsoft.Xrm.Sdk
{
    /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.iplugin</summary>
    public interface IPlugin
    {
        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.iplugin.execute</summary>
        void Execute(IServiceProvider serviceProvider);
    }

    /// <summary>
    /// https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.iexecutioncontext: get-only
    /// properties, declared here (not on IPluginExecutionContext).
    /// </summary>
    public interface IExecutionContext
    {
        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.iexecutioncontext.messagename</summary>
        string MessageName { get; }

        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.iexecutioncontext.primaryentityname</summary>
        string PrimaryEntityName { get; }

        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.iexecutioncontext.primaryentityid</summary>
        Guid PrimaryEntityId { get; }

        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.iexecutioncontext.depth</summary>
        int Depth { get; }

        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.iexecutioncontext.initiatinguserid</summary>
        Guid InitiatingUserId { get; }

        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.iexecutioncontext.inputparameters</summary>
        ParameterCollection InputParameters { get; }

        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.iexecutioncontext.preentityimages</summary>
        EntityImageCollection PreEntityImages { get; }
    }

    /// <summary>
    /// https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.ipluginexecutioncontext: extends
    /// IExecutionContext and declares Stage (and ParentContext, which the plug-in does not use).
    /// </summary>
    public interface IPluginExecutionContext : IExecutionContext
    {
        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.ipluginexecutioncontext.stage</summary>
        int Stage { get; }
    }

    /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.itracingservice</summary>
    public interface ITracingService
    {
        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.itracingservice.trace</summary>
        void Trace(string format, params object[] args);
    }

    /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.iorganizationservicefactory</summary>
    public interface IOrganizationServiceFactory
    {
        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.iorganizationservicefactory.createorganizationservice</summary>
        IOrganizationService CreateOrganizationService(Guid? userId);
    }

    /// <summary>
    /// https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.iorganizationservice: the real
    /// interface has eight methods; the plug-in calls these two.
    /// </summary>
    public interface IOrganizationService
    {
        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.iorganizationservice.retrieve</summary>
        Entity Retrieve(string entityName, Guid id, Query.ColumnSet columnSet);

        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.iorganizationservice.execute</summary>
        OrganizationResponse Execute(OrganizationRequest request);
    }

    /// <summary>
    /// https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.invalidpluginexecutionexception:
    /// sealed, derives from System.Exception (not FaultException).
    /// </summary>
    [Serializable]
    public sealed class InvalidPluginExecutionException : Exception
    {
        /// <summary>https://learn.microsoft.com/previous-versions/dynamicscrm-2016/developers-guide/gg326151(v=crm.8)</summary>
        public InvalidPluginExecutionException(string message) : base(message) { }
    }
}
