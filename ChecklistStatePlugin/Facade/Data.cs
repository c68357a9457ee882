// Entity and the collections of the execution context, as Microsoft.Xrm.Sdk 9.0.0.0 declares them.
using System;
using System.Collections;
using System.Collections.Generic;

namespace Microsoft.Xrm.Sdk
{
    /// <summary>
    /// https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.datacollection-2: abstract, over
    /// IEnumerable of pairs only (not IDictionary); the indexer is virtual, the rest is not.
    /// </summary>
    [Serializable]
    public abstract class DataCollection<TKey, TValue> : IEnumerable<KeyValuePair<TKey, TValue>>, IEnumerable
    {
        private readonly Dictionary<TKey, TValue> items = new Dictionary<TKey, TValue>();

        /// <summary>https://learn.microsoft.com/previous-versions/dynamicscrm-2015/developers-guide/gg326008(v=crm.7)</summary>
        protected internal DataCollection() { }

        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.datacollection-2.item</summary>
        public virtual TValue this[TKey key]
        {
            get => items[key];
            set => items[key] = value;
        }

        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.datacollection-2.contains</summary>
        public bool Contains(TKey key) => items.ContainsKey(key);

        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.datacollection-2.trygetvalue</summary>
        public bool TryGetValue(TKey key, out TValue value) => items.TryGetValue(key, out value!);

        /// <summary>https://learn.microsoft.com/previous-versions/dynamicscrm-2016/developers-guide/gg326035(v=crm.8)</summary>
        public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() => items.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>https://learn.microsoft.com/previous-versions/dynamicscrm-2016/developers-guide/gg308362(v=crm.8): sealed, no members of its own.</summary>
    public sealed class AttributeCollection : DataCollection<string, object>
    {
    }

    /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.parametercollection: no members of its own.</summary>
    public class ParameterCollection : DataCollection<string, object>
    {
    }

    /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.entityimagecollection: no members of its own.</summary>
    public class EntityImageCollection : DataCollection<string, Entity>
    {
    }

    /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.entity: neither sealed nor abstract.</summary>
    public class Entity
    {
        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.entity.-ctor</summary>
        public Entity(string entityName)
        {
            LogicalName = entityName;
        }

        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.entity.logicalname</summary>
        public string LogicalName { get; set; }

        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.entity.attributes</summary>
        public AttributeCollection Attributes { get; set; } = new AttributeCollection();

        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.entity.item: declared on Entity, not virtual.</summary>
        public object this[string attributeName]
        {
            get => Attributes[attributeName];
            set => Attributes[attributeName] = value;
        }

        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.entity.contains: declared on Entity, not virtual.</summary>
        public bool Contains(string attributeName) => Attributes.Contains(attributeName);

        /// <summary>https://learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.entity.getattributevalue: virtual; default(T) when absent.</summary>
        public virtual T GetAttributeValue<T>(string attributeLogicalName) =>
            Attributes.TryGetValue(attributeLogicalName, out var value) && value is T typed ? typed : default!;
    }
}
