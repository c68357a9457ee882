using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Xunit;

namespace Work365.ChecklistStatePlugin.Tests
{
    /// <summary>The plug-in's Execute over a fake service provider, as Dataverse calls it.</summary>
    public sealed class ChecklistStateGuardTests
    {
        private static readonly DateTime Now = new DateTime(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc);
        private const string NowText = "2026-12-01T10:00:00.000Z";
        private const string Column = "w365_checkliststate";
        private const string DanaTick = "\"mfa-policies\":{\"confirmed\":true,\"by\":{\"id\":\"9a000000-0000-0000-0000-00000000000a\",\"name\":\"Dana Admin\"},\"at\":\"2026-11-30T08:00:00.000Z\"}";

        private static string State(string confirmations = "", string settings = "", string extra = "") =>
            "{\"version\":1,\"settings\":{" + settings + "},\"confirmations\":{" + confirmations + "}" + extra + "}";

        private static string Entry(bool confirmed, string id, string name, string at) =>
            "{\"confirmed\":" + (confirmed ? "true" : "false") + ",\"by\":{\"id\":\"" + id + "\",\"name\":\"" + name + "\"},\"at\":\"" + at + "\"}";

        /// <summary>A write of the column: the pre-image holds <paramref name="stored"/> (none when null and <paramref name="image"/> is false).</summary>
        private static (FakeServiceProvider Provider, Entity Target) Write(string? stored, object? incoming, string message = "Update", bool image = true, string? configuration = null, ChecklistStateGuard? guard = null)
        {
            var provider = new FakeServiceProvider();
            provider.Context.MessageName = message;
            var target = new Entity("w365_setup");
            target[Column] = incoming!;
            provider.Context.InputParameters["Target"] = target;
            if (image && message == "Update")
            {
                var pre = new Entity("w365_setup");
                if (stored != null) pre[Column] = stored; // an image leaves out empty columns
                provider.Context.PreEntityImages[ChecklistStateGuard.PreImageName] = pre;
            }
            (guard ?? new ChecklistStateGuard(configuration, null, () => Now)).Execute(provider);
            return (provider, target);
        }

        private static InvalidPluginExecutionException Refused(string? stored, string incoming, Action<FakeServiceProvider>? arrange = null)
        {
            var provider = new FakeServiceProvider();
            arrange?.Invoke(provider);
            var target = new Entity("w365_setup");
            target[Column] = incoming;
            provider.Context.InputParameters["Target"] = target;
            var pre = new Entity("w365_setup");
            if (stored != null) pre[Column] = stored;
            provider.Context.PreEntityImages[ChecklistStateGuard.PreImageName] = pre;
            var guard = new ChecklistStateGuard(null, null, () => Now);
            var refusal = Assert.Throws<InvalidPluginExecutionException>(() => guard.Execute(provider));
            Assert.Equal(incoming, target[Column]); // the platform discards the write; nothing was rewritten either
            Assert.Contains(provider.Tracing.Lines, line => line.Contains("refused"));
            return refusal;
        }

        [Fact]
        public void Two_admins_saving_in_turn_keep_both_ticks_each_with_its_own_author()
        {
            // Dana creates the record at 09:00 with a tick.
            var dana = new FakeServiceProvider();
            dana.Context.InitiatingUserId = Users.Dana;
            dana.Context.MessageName = "Create";
            var danaTarget = new Entity("w365_setup");
            danaTarget[Column] = State("\"mfa-policies\":" + Entry(true, "x", "x", "2026-11-30T08:00:00.000Z"));
            dana.Context.InputParameters["Target"] = danaTarget;
            new ChecklistStateGuard(null, null, () => Now.AddHours(-1)).Execute(dana);
            var afterDana = (string)danaTarget[Column];
            Assert.Equal(State("\"mfa-policies\":" + Entry(true, "9a000000-0000-0000-0000-00000000000a", "Dana Admin", "2026-12-01T09:00:00.000Z")), afterDana);

            // Sam's form was opened before Dana saved: it sends only Sam's own tick.
            var sam = Write(afterDana, State("\"service-account-mfa\":" + Entry(true, "9b000000-0000-0000-0000-00000000000b", "Sam", "2026-12-01T09:59:00.000Z")));
            Assert.Equal(
                State("\"mfa-policies\":" + Entry(true, "9a000000-0000-0000-0000-00000000000a", "Dana Admin", "2026-12-01T09:00:00.000Z") +
                      ",\"service-account-mfa\":" + Entry(true, "9b000000-0000-0000-0000-00000000000b", "Sam Installer", NowText)),
                sam.Target[Column]);
        }

        [Fact]
        public void A_forged_by_or_at_is_replaced_by_the_writer_and_the_server_time()
        {
            var (_, target) = Write(State(DanaTick), State(DanaTick + ",\"service-account-mfa\":" + Entry(true, "9a000000-0000-0000-0000-00000000000a", "Dana Admin", "2099-01-01T00:00:00.000Z")));
            Assert.Equal(State(DanaTick + ",\"service-account-mfa\":" + Entry(true, "9b000000-0000-0000-0000-00000000000b", "Sam Installer", NowText)), target[Column]);

            // Dana's own tick sent back under Sam's name, at her time: the stored one stays.
            var (_, forged) = Write(State(DanaTick), State("\"mfa-policies\":" + Entry(true, "9b000000-0000-0000-0000-00000000000b", "Sam Installer", "2026-11-30T08:00:00.000Z")));
            Assert.Equal(State(DanaTick), forged[Column]);
        }

        [Fact]
        public void An_untick_is_a_change_like_a_tick()
        {
            var (provider, target) = Write(State(DanaTick), State("\"mfa-policies\":" + Entry(false, "9b000000-0000-0000-0000-00000000000b", "Sam", "2026-12-01T09:59:00.000Z")));
            Assert.Equal(State("\"mfa-policies\":" + Entry(false, "9b000000-0000-0000-0000-00000000000b", "Sam Installer", NowText)), target[Column]);
            Assert.Contains(provider.Tracing.Lines, line => line.Contains("stamped: mfa-policies"));
        }

        [Fact]
        public void Unknown_keys_are_kept_from_both_sides()
        {
            var stored = State("\"future/item\":{\"confirmed\":true,\"at\":\"2026-11-30T08:00:00.000Z\",\"by\":{\"id\":\"a\",\"name\":\"b\"},\"note\":1}", "\"partnerTier\":\"gold\"", ",\"kept\":[1,2]");
            var (_, target) = Write(stored, State("", "", ",\"newKey\":{\"x\":null}"));
            Assert.Equal("{\"version\":1,\"settings\":{\"partnerTier\":\"gold\"},\"confirmations\":{\"future/item\":{\"confirmed\":true,\"at\":\"2026-11-30T08:00:00.000Z\",\"by\":{\"id\":\"a\",\"name\":\"b\"},\"note\":1}},\"newKey\":{\"x\":null},\"kept\":[1,2]}", target[Column]);
        }

        [Fact]
        public void A_value_of_a_newer_version_is_refused_with_a_message_that_names_it()
        {
            var refusal = Refused(State(DanaTick), "{\"version\":2,\"settings\":{},\"confirmations\":{}}");
            Assert.Equal("The checklist was not saved: the value sent for it was written by a newer version of the checklist (format 2). The record keeps what it had. Update the Work 365 Prerequisite Checklist solution in this environment, then try again.", refusal.Message);
        }

        [Fact]
        public void Invalid_json_is_refused_in_the_writers_language()
        {
            Assert.StartsWith("The checklist was not saved: the value sent for it is not valid JSON.", Refused(State(DanaTick), "{\"version\":1,").Message);
            var german = Refused(State(DanaTick), "{oops", provider => provider.Service.Languages[Users.Sam] = 1031);
            Assert.Equal(GuardMessages.Strings(1031)["Guard_IncomingNotJson"], german.Message);
            Assert.NotEqual(GuardMessages.Strings(1033)["Guard_IncomingNotJson"], german.Message);
        }

        [Fact]
        public void A_language_the_checklist_does_not_ship_reads_in_English()
        {
            var refusal = Refused(null, "[]", provider => provider.Service.Languages[Users.Sam] = 1035);
            Assert.Equal(GuardMessages.Strings(1033)["Guard_IncomingNotAChecklist"], refusal.Message);
        }

        [Fact]
        public void A_merged_value_longer_than_the_column_is_refused_with_both_lengths()
        {
            var refusal = Refused(State(DanaTick), State("\"service-account-mfa\":" + Entry(true, "9b000000-0000-0000-0000-00000000000b", "Sam", "2026-12-01T09:59:00.000Z")), provider => provider.Service.MaxLength = 250);
            Assert.Equal("The checklist was not saved: together with what is already on the record it would be 329 characters, more than the column's 250. The record keeps what it had.", refusal.Message);
        }

        [Fact]
        public void The_column_length_is_read_once_per_step_and_a_single_line_column_counts_too()
        {
            var guard = new ChecklistStateGuard(null, null, () => Now);
            var first = Write(null, State(), guard: guard);
            var second = Write(State(), State(DanaTick), guard: guard);
            Assert.Single(first.Provider.Service.Calls, call => call.StartsWith("RetrieveAttribute w365_setup.w365_checkliststate"));
            Assert.DoesNotContain(second.Provider.Service.Calls, call => call.StartsWith("RetrieveAttribute"));

            var provider = new FakeServiceProvider();
            provider.Service.MemoColumn = false;
            provider.Service.MaxLength = 100;
            var target = new Entity("w365_setup");
            target[Column] = State(DanaTick);
            provider.Context.MessageName = "Create";
            provider.Context.InputParameters["Target"] = target;
            Assert.Throws<InvalidPluginExecutionException>(() => new ChecklistStateGuard(null, null, () => Now).Execute(provider));
        }

        [Fact]
        public void Evidence_that_wins_is_stamped_with_who_saved_it()
        {
            var reading = "\"graph\":{\"readAt\":\"2026-11-30T08:00:00.000Z\",\"by\":{\"upn\":\"admin@contoso.com\",\"name\":\"Avery Admin\"},\"tool\":\"w365-preflight 1.0.0\",\"tenantId\":\"t\",\"facts\":{}";
            var (_, target) = Write(State(DanaTick), State("", "", ",\"evidence\":{" + reading + ",\"savedBy\":{\"id\":\"forged\",\"name\":\"Forged\"}}}"));
            Assert.Equal(State(DanaTick, "", ",\"evidence\":{" + reading + ",\"savedBy\":{\"id\":\"9b000000-0000-0000-0000-00000000000b\",\"name\":\"Sam Installer\"},\"savedAt\":\"" + NowText + "\"}}"), target[Column]);
        }

        [Fact]
        public void Create_has_no_pre_image_and_nothing_stored()
        {
            var (provider, target) = Write(null, State(DanaTick), message: "Create");
            Assert.Equal(State("\"mfa-policies\":" + Entry(true, "9b000000-0000-0000-0000-00000000000b", "Sam Installer", NowText)), target[Column]);
            Assert.Equal(new[] { "RetrieveAttribute w365_setup.w365_checkliststate", $"Retrieve systemuser {Users.Sam} fullname" }, provider.Service.Calls);
            Assert.Equal(new Guid?[] { null }, provider.Service.CreatedFor); // the system user: the writer may not read users
        }

        [Fact]
        public void An_update_step_without_its_pre_image_reads_the_stored_value_instead_of_losing_it()
        {
            var provider = new FakeServiceProvider();
            provider.Service.Rows[("w365_setup", provider.Context.PrimaryEntityId)] = new System.Collections.Generic.Dictionary<string, object> { [Column] = State(DanaTick) };
            var target = new Entity("w365_setup");
            target[Column] = State();
            provider.Context.InputParameters["Target"] = target;
            new ChecklistStateGuard(null, null, () => Now).Execute(provider);
            Assert.Equal(State(DanaTick), target[Column]);
            Assert.Contains(provider.Tracing.Lines, line => line.Contains("has no pre-image"));
        }

        [Fact]
        public void At_depth_two_it_does_nothing()
        {
            var provider = new FakeServiceProvider();
            provider.Context.Depth = 2;
            var target = new Entity("w365_setup");
            target[Column] = "{oops";
            provider.Context.InputParameters["Target"] = target;
            new ChecklistStateGuard(null, null, () => Now).Execute(provider);
            Assert.Equal("{oops", target[Column]);
            Assert.Empty(provider.Service.CreatedFor);
            Assert.Contains("depth 2", Assert.Single(provider.Tracing.Lines));
        }

        [Fact]
        public void A_write_that_does_not_touch_the_column_is_left_alone()
        {
            var provider = new FakeServiceProvider();
            var target = new Entity("w365_setup");
            target["w365_name"] = "Contoso";
            provider.Context.InputParameters["Target"] = target;
            new ChecklistStateGuard(null, null, () => Now).Execute(provider);
            Assert.Equal(new[] { "w365_name" }, target.Attributes.Select(pair => pair.Key));
            Assert.Empty(provider.Service.CreatedFor);
            Assert.Contains("does not write w365_checkliststate", Assert.Single(provider.Tracing.Lines));
        }

        [Fact]
        public void Another_table_and_column_come_from_the_steps_configuration()
        {
            var provider = new FakeServiceProvider();
            provider.Context.PrimaryEntityName = "w365_settings";
            var target = new Entity("w365_settings");
            target["w365_prerequisites"] = State(DanaTick);
            target[Column] = "{not guarded";
            provider.Context.InputParameters["Target"] = target;
            provider.Context.MessageName = "Create";
            new ChecklistStateGuard("{\"table\":\"W365_Settings\",\"column\":\"w365_prerequisites\"}", null, () => Now).Execute(provider);
            Assert.Equal(State("\"mfa-policies\":" + Entry(true, "9b000000-0000-0000-0000-00000000000b", "Sam Installer", NowText)), target["w365_prerequisites"]);
            Assert.Equal("{not guarded", target[Column]);
            Assert.Contains("RetrieveAttribute w365_settings.w365_prerequisites", provider.Service.Calls);

            // The default table is then not guarded.
            var (_, setup) = Write(null, "{oops", message: "Create", configuration: "{\"table\":\"w365_settings\",\"column\":\"w365_prerequisites\"}");
            Assert.Equal("{oops", setup[Column]);
        }

        [Fact]
        public void A_configuration_it_cannot_read_refuses_writes_and_says_why()
        {
            var provider = new FakeServiceProvider();
            var target = new Entity("w365_setup");
            target[Column] = State(DanaTick);
            provider.Context.InputParameters["Target"] = target;
            var refusal = Assert.Throws<InvalidPluginExecutionException>(() => new ChecklistStateGuard("table=w365_settings", null, () => Now).Execute(provider));
            Assert.Contains("(table=w365_settings)", refusal.Message);
        }

        [Fact]
        public void A_reset_replaces_a_damaged_value_and_nothing_else_does()
        {
            var (_, reset) = Write("{\"version\":1,\"conf", State());
            Assert.Equal(State(), reset[Column]);
            var refusal = Refused("{\"version\":1,\"conf", State(DanaTick));
            Assert.Contains("Reset the checklist", refusal.Message);
        }

        [Fact]
        public void A_cleared_column_keeps_what_is_stored()
        {
            var (_, target) = Write(State(DanaTick), null);
            Assert.Equal(State(DanaTick), target[Column]);
        }

        [Fact]
        public void Registered_on_another_message_or_stage_it_does_nothing()
        {
            var provider = new FakeServiceProvider();
            provider.Context.Stage = 40;
            var target = new Entity("w365_setup");
            target[Column] = "{oops";
            provider.Context.InputParameters["Target"] = target;
            new ChecklistStateGuard(null, null, () => Now).Execute(provider);
            Assert.Equal("{oops", target[Column]);
            Assert.Contains("stage 40", Assert.Single(provider.Tracing.Lines));
        }
    }
}
