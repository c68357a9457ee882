using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Metadata;
using Microsoft.Xrm.Sdk.Query;

namespace Work365.ChecklistStatePlugin
{
    /// <summary>
    /// Guards the checklist state column on the server, as a synchronous PreOperation step on
    /// Create and Update of the settings table: every write is merged with what is stored, so no
    /// writer can lose another admin's tick; whatever the write adds or changes is stamped with
    /// the initiating user and the server's time; damaged, newer and too long values are refused
    /// with a message in the user's language. It writes no record of its own.
    /// </summary>
    public sealed class ChecklistStateGuard : IPlugin
    {
        /// <summary>The name of the Update step's pre-image, with the column in it.</summary>
        public const string PreImageName = "PreImage";
        private const int PreOperation = 20;

        private readonly StepConfiguration configuration;
        private readonly Func<DateTime> utcNow;

        /// <summary>
        /// The column's maximum length, read once per instance: Dataverse keeps one instance per step
        /// and reuses it, and a column's metadata seldom changes. 0: not read yet.
        /// </summary>
        private int maxLength;

        /// <summary>The platform's constructor: the step's unsecure and secure configuration (the secure one is not used).</summary>
        public ChecklistStateGuard(string? unsecureConfiguration, string? secureConfiguration)
            : this(unsecureConfiguration, secureConfiguration, () => DateTime.UtcNow)
        {
        }

        /// <summary>With the server's clock given, for hosts other than Dataverse (tests, the playground's emulator).</summary>
        public ChecklistStateGuard(string? unsecureConfiguration, string? secureConfiguration, Func<DateTime> utcNow)
        {
            configuration = StepConfiguration.Parse(unsecureConfiguration);
            this.utcNow = utcNow;
        }

        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
            var tracing = (ITracingService)serviceProvider.GetService(typeof(ITracingService))!;
            if (context.Depth > 1)
            {
                tracing.Trace("Checklist guard: depth {0}, a write made by another step; left as it is.", context.Depth);
                return;
            }
            if (context.Stage != PreOperation || (context.MessageName != "Create" && context.MessageName != "Update"))
            {
                tracing.Trace("Checklist guard: registered on {0} at stage {1}; it acts only on Create and Update in PreOperation (20).", context.MessageName, context.Stage);
                return;
            }
            if (!string.Equals(context.PrimaryEntityName, configuration.Table, StringComparison.OrdinalIgnoreCase))
            {
                tracing.Trace("Checklist guard: {0} is not the configured table {1}; left as it is.", context.PrimaryEntityName, configuration.Table);
                return;
            }
            if (!context.InputParameters.TryGetValue("Target", out var targetValue) || !(targetValue is Entity target) || !target.Contains(configuration.Column))
            {
                tracing.Trace("Checklist guard: this {0} does not write {1}; left as it is.", context.MessageName, configuration.Column);
                return;
            }

            var factory = (IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!;
            // The system user: the writer may not be allowed to read the metadata, or another user.
            var service = factory.CreateOrganizationService(null);
            if (configuration.Problem != null)
            {
                tracing.Trace("Checklist guard: the step's configuration is not {{\"table\":…,\"column\":…}}: {0}", configuration.Problem);
                throw new InvalidPluginExecutionException(GuardMessages.Text("Guard_BadConfiguration", LanguageOf(service, context.InitiatingUserId), "configuration", configuration.Problem));
            }

            var incoming = target[configuration.Column] as string;
            var stored = StoredValue(context, service, tracing);
            var maxLength = MaxLength(service, tracing);
            var result = StateRules.GuardWrite(stored, incoming, () => Writer(service, context.InitiatingUserId), maxLength);
            if (result.Refused)
            {
                tracing.Trace("Checklist guard: refused ({0}{1}); sent {2} characters, stored {3}.", result.Outcome, result.Problem != null ? ", stored " + result.Problem : "", incoming?.Length ?? 0, stored?.Length ?? 0);
                throw new InvalidPluginExecutionException(GuardMessages.For(result, LanguageOf(service, context.InitiatingUserId)));
            }
            target[configuration.Column] = result.Value!;
            tracing.Trace(
                "Checklist guard: {0} of {1} {2}: sent {3} characters, stored {4}, writes {5}; stamped: {6}.",
                context.MessageName, context.PrimaryEntityName, context.PrimaryEntityId, incoming?.Length ?? 0, stored?.Length ?? 0, result.Value?.Length ?? 0,
                result.Stamped.Count == 0 ? "nothing" : string.Join(", ", result.Stamped));
        }

        /// <summary>The column as stored before this write: the pre-image's, or, where the step has none, read.</summary>
        private string? StoredValue(IPluginExecutionContext context, IOrganizationService service, ITracingService tracing)
        {
            if (context.MessageName == "Create") return null;
            // An image leaves out columns that are empty.
            if (context.PreEntityImages.TryGetValue(PreImageName, out var image)) return image.GetAttributeValue<string>(configuration.Column);
            tracing.Trace("Checklist guard: the Update step has no pre-image named {0}; reading the stored value.", PreImageName);
            return service.Retrieve(configuration.Table, context.PrimaryEntityId, new ColumnSet(configuration.Column)).GetAttributeValue<string>(configuration.Column);
        }

        private int MaxLength(IOrganizationService service, ITracingService tracing)
        {
            if (maxLength > 0) return maxLength;
            var request = new RetrieveAttributeRequest { EntityLogicalName = configuration.Table, LogicalName = configuration.Column, RetrieveAsIfPublished = false };
            var metadata = ((RetrieveAttributeResponse)service.Execute(request)).AttributeMetadata;
            var length = (metadata as MemoAttributeMetadata)?.MaxLength ?? (metadata as StringAttributeMetadata)?.MaxLength;
            if (length == null) tracing.Trace("Checklist guard: {0}.{1} is not a text column with a maximum length.", configuration.Table, configuration.Column);
            return maxLength = length ?? int.MaxValue;
        }

        private WriteAuthor Writer(IOrganizationService service, Guid userId)
        {
            var user = service.Retrieve("systemuser", userId, new ColumnSet("fullname"));
            return new WriteAuthor(userId.ToString("D"), user.GetAttributeValue<string>("fullname") ?? "", utcNow());
        }

        /// <summary>The writer's user interface language; English when it cannot be read.</summary>
        private static int LanguageOf(IOrganizationService service, Guid userId)
        {
            try
            {
                var settings = service.Retrieve("usersettings", userId, new ColumnSet("uilanguageid"));
                var language = settings.GetAttributeValue<int>("uilanguageid");
                return language > 0 ? language : GuardMessages.English;
            }
            catch (Exception)
            {
                return GuardMessages.English;
            }
        }
    }
}
