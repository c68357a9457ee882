// ColumnSet, organisation requests and the attribute metadata the plug-in reads, as Microsoft.Xrm.Sdk 9.0.0.0 declares them.
using System.Collections.ObjectModel;

namespace Microsoft.Xrm.Sdk
{
    /// <summary>https://learn.microsoft.com/previous-versions/dynamicscrm-2015/developers-guide/gg308398(v=crm.7): a Collection of T.</summary>
    public class DataCollection<T> : Collection<T>
    {
    }

    /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.organizationrequest: neither sealed nor abstract.</summary>
    public class OrganizationRequest
    {
        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.organizationrequest.-ctor</summary>
        public OrganizationRequest(string requestName)
        {
            RequestName = requestName;
        }

        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.organizationrequest.requestname</summary>
        public string RequestName { get; set; }

        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.organizationrequest.parameters</summary>
        public ParameterCollection Parameters { get; set; } = new ParameterCollection();
    }

    /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.organizationresponse: neither sealed nor abstract.</summary>
    public class OrganizationResponse
    {
        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.organizationresponse.-ctor</summary>
        public OrganizationResponse() { }

        /// <summary>https://learn.microsoft.com/previous-versions/dynamicscrm-2016/developers-guide/gg307643(v=crm.8)</summary>
        public ParameterCollection Results { get; set; } = new ParameterCollection();
    }
}

namespace Microsoft.Xrm.Sdk.Query
{
    /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.query.columnset: sealed.</summary>
    public sealed class ColumnSet
    {
        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.query.columnset.-ctor</summary>
        public ColumnSet(params string[] columns)
        {
            foreach (var column in columns) Columns.Add(column);
        }

        /// <summary>https://learn.microsoft.com/previous-versions/dynamicscrm-2016/developers-guide/gg307652(v=crm.8): get-only here.</summary>
        public DataCollection<string> Columns { get; } = new DataCollection<string>();
    }
}

namespace Microsoft.Xrm.Sdk.Messages
{
    using Microsoft.Xrm.Sdk.Metadata;

    /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.messages.retrieveattributerequest: sealed, in Microsoft.Xrm.Sdk.dll.</summary>
    public sealed class RetrieveAttributeRequest : OrganizationRequest
    {
        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.messages.retrieveattributerequest.-ctor</summary>
        public RetrieveAttributeRequest() : base("RetrieveAttribute") { }

        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.messages.retrieveattributerequest.entitylogicalname</summary>
        public string EntityLogicalName
        {
            get => (string)Parameters["EntityLogicalName"];
            set => Parameters["EntityLogicalName"] = value;
        }

        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.messages.retrieveattributerequest.logicalname</summary>
        public string LogicalName
        {
            get => (string)Parameters["LogicalName"];
            set => Parameters["LogicalName"] = value;
        }

        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.messages.retrieveattributerequest.retrieveasifpublished</summary>
        public bool RetrieveAsIfPublished
        {
            get => (bool)Parameters["RetrieveAsIfPublished"];
            set => Parameters["RetrieveAsIfPublished"] = value;
        }
    }

    /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.messages.retrieveattributeresponse: sealed.</summary>
    public sealed class RetrieveAttributeResponse : OrganizationResponse
    {
        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.messages.retrieveattributeresponse.attributemetadata: get-only.</summary>
        public AttributeMetadata AttributeMetadata => (AttributeMetadata)Results["AttributeMetadata"];
    }
}

namespace Microsoft.Xrm.Sdk.Metadata
{
    /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.metadata.metadatabase: abstract, protected constructor.</summary>
    public abstract class MetadataBase
    {
        protected MetadataBase() { }
    }

    /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.metadata.attributemetadata: neither sealed nor abstract.</summary>
    public class AttributeMetadata : MetadataBase
    {
        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.metadata.attributemetadata.-ctor</summary>
        public AttributeMetadata() { }
    }

    /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.metadata.memoattributemetadata: sealed.</summary>
    public sealed class MemoAttributeMetadata : AttributeMetadata
    {
        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.metadata.memoattributemetadata.maxlength</summary>
        public int? MaxLength { get; set; }
    }

    /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.metadata.stringattributemetadata: sealed.</summary>
    public sealed class StringAttributeMetadata : AttributeMetadata
    {
        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.metadata.stringattributemetadata.maxlength</summary>
        public int? MaxLength { get; set; }
    }
}
