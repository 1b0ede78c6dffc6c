// The one schema for both databases. CI checks that the SQLite and PostgreSQL
// migrations both produce exactly these tables and columns (tests/schema.rs).
diesel::table! {
    subject_keys (id) {
        id -> Text,
        subject_id -> Text,
        master_key_id -> Text,
        wrapped -> Binary,
        created_at -> BigInt,
    }
}
diesel::table! {
    users (id) {
        id -> Text,
        kind -> Text,
        email_bidx -> Text,
        email_enc -> Binary,
        name_enc -> Binary,
        password_hash -> Text,
        lang -> Text,
        created_at -> BigInt,
        closed_at -> Nullable<BigInt>,
        display -> Text,
        suspended_at -> Nullable<BigInt>,
        warned_at -> Nullable<BigInt>,
        erased_at -> Nullable<BigInt>,
        use_suspended_at -> Nullable<BigInt>,
        provision_stopped_at -> Nullable<BigInt>,
        email_verified_at -> Nullable<BigInt>,
    }
}
diesel::table! {
    rights_requests (id) {
        id -> Text,
        user_id -> Text,
        kind -> Text,
        detail_enc -> Binary,
        created_at -> BigInt,
        due_at -> BigInt,
        status -> Text,
        decided_at -> Nullable<BigInt>,
        decided_by -> Nullable<Text>,
        reply_enc -> Nullable<Binary>,
    }
}
diesel::table! {
    retention_holds (subject_id) {
        subject_id -> Text,
        owner_id -> Text,
        kind -> Text,
        until_at -> BigInt,
    }
}
diesel::table! {
    erased_subjects (subject_id) {
        subject_id -> Text,
        erased_at -> BigInt,
    }
}
diesel::table! {
    organizations (id) {
        id -> Text,
        kind -> Text,
        name -> Text,
        created_at -> BigInt,
        verified_at -> Nullable<BigInt>,
        invite_code -> Nullable<Text>,
        is_partner -> Bool,
    }
}
diesel::table! {
    memberships (id) {
        id -> Text,
        org_id -> Text,
        user_id -> Text,
        role -> Text,
        created_at -> BigInt,
        ended_at -> Nullable<BigInt>,
    }
}
diesel::table! {
    family_links (id) {
        id -> Text,
        seeker_id -> Text,
        family_id -> Text,
        relation -> Text,
        created_at -> BigInt,
        ended_at -> Nullable<BigInt>,
    }
}
diesel::table! {
    policy_versions (kind, version) {
        kind -> Text,
        version -> Text,
        published_at -> BigInt,
        requires_consent -> Bool,
        summary_ja -> Nullable<Text>,
        summary_easy -> Nullable<Text>,
        text_ja -> Nullable<Text>,
        text_easy -> Nullable<Text>,
        published_by -> Nullable<Text>,
    }
}
diesel::table! {
    consents (id) {
        id -> Text,
        user_id -> Text,
        kind -> Text,
        version -> Text,
        method -> Text,
        given_at -> BigInt,
        withdrawn_at -> Nullable<BigInt>,
        recipient_id -> Nullable<Text>,
        scope -> Nullable<Text>,
        declined -> Bool,
    }
}
diesel::table! {
    sessions (id) {
        id -> Text,
        token_hash -> Text,
        user_id -> Text,
        channel -> Text,
        user_agent -> Text,
        created_at -> BigInt,
        last_seen_at -> BigInt,
        expires_at -> BigInt,
        revoked_at -> Nullable<BigInt>,
        auth_method -> Text,
    }
}
diesel::table! {
    password_resets (id) {
        id -> Text,
        token_hash -> Text,
        user_id -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
    }
}
diesel::table! {
    invitations (id) {
        id -> Text,
        token_hash -> Text,
        kind -> Text,
        inviter_id -> Text,
        org_id -> Nullable<Text>,
        role -> Nullable<Text>,
        relation -> Nullable<Text>,
        email_bidx -> Text,
        email_enc -> Binary,
        created_at -> BigInt,
        expires_at -> BigInt,
        accepted_at -> Nullable<BigInt>,
        revoked_at -> Nullable<BigInt>,
    }
}
diesel::table! {
    outbox (id) {
        id -> Text,
        kind -> Text,
        payload_enc -> Nullable<Binary>,
        attempts -> Integer,
        next_attempt_at -> BigInt,
        created_at -> BigInt,
        sent_at -> Nullable<BigInt>,
        last_error -> Nullable<Text>,
        claimed_until -> Nullable<BigInt>,
    }
}
diesel::table! {
    audit_log (seq) {
        seq -> BigInt,
        at -> BigInt,
        actor_id -> Nullable<Text>,
        subject_id -> Nullable<Text>,
        action -> Text,
        items -> Text,
        purpose -> Text,
        ip -> Text,
        user_agent -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}
diesel::table! {
    audit_head (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Text,
    }
}

diesel::table! {
    profile_sections (user_id, section) {
        user_id -> Text,
        section -> Text,
        data_enc -> Binary,
        updated_at -> BigInt,
    }
}
diesel::table! {
    certificate_reminders (user_id) {
        user_id -> Text,
        remind_on -> Text,
        reminded_at -> Nullable<BigInt>,
    }
}
diesel::table! {
    applications (id) {
        id -> Text,
        seeker_id -> Text,
        org_id -> Text,
        openness -> Text,
        created_at -> BigInt,
        withdrawn_at -> Nullable<BigInt>,
        posting_id -> Nullable<Text>,
        stage -> Text,
        message_enc -> Nullable<Binary>,
        supporter_joins -> Bool,
        updated_at -> BigInt,
        scout_id -> Nullable<Text>,
    }
}
diesel::table! {
    application_events (id) {
        id -> Text,
        application_id -> Text,
        stage -> Text,
        by_user -> Text,
        at -> BigInt,
    }
}
diesel::table! {
    application_internal (application_id) {
        application_id -> Text,
        internal_stage_enc -> Binary,
        note_enc -> Binary,
        updated_by -> Text,
        updated_at -> BigInt,
    }
}
diesel::table! {
    employments (id) {
        id -> Text,
        application_id -> Text,
        seeker_id -> Text,
        org_id -> Text,
        posting_id -> Nullable<Text>,
        start_date -> Text,
        position -> Text,
        hours_per_week -> Integer,
        follow_up_user_id -> Text,
        supporter_org_id -> Nullable<Text>,
        created_at -> BigInt,
        ended_at -> Nullable<BigInt>,
        end_date -> Nullable<Text>,
        end_reason -> Nullable<Text>,
    }
}
diesel::table! {
    scouts (id) {
        id -> Text,
        org_id -> Text,
        sender_id -> Text,
        seeker_id -> Text,
        message_enc -> Binary,
        status -> Text,
        openness -> Nullable<Text>,
        created_at -> BigInt,
        decided_at -> Nullable<BigInt>,
        posting_id -> Nullable<Text>,
        agency_user_id -> Nullable<Text>,
    }
}
diesel::table! {
    blocks (seeker_id, org_id) {
        seeker_id -> Text,
        org_id -> Text,
        created_at -> BigInt,
    }
}
diesel::table! {
    provision_records (id) {
        id -> Text,
        seeker_id -> Text,
        recipient_org_id -> Nullable<Text>,
        recipient_user_id -> Text,
        items -> Text,
        basis -> Text,
        first_at -> BigInt,
        last_at -> BigInt,
        times -> Integer,
    }
}
diesel::table! {
    profile_drafts (id) {
        id -> Text,
        seeker_id -> Text,
        author_id -> Text,
        section -> Text,
        data_enc -> Binary,
        created_at -> BigInt,
        decided_at -> Nullable<BigInt>,
        decision -> Nullable<Text>,
    }
}

diesel::table! {
    company_profiles (org_id) {
        org_id -> Text,
        data -> Text,
        updated_at -> BigInt,
    }
}
diesel::table! {
    postings (id) {
        id -> Text,
        org_id -> Text,
        status -> Text,
        title -> Text,
        fields -> Text,
        created_by -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
        submitted_at -> Nullable<BigInt>,
        published_at -> Nullable<BigInt>,
        confirmed_at -> Nullable<BigInt>,
        closed_at -> Nullable<BigInt>,
        stale_notified_at -> Nullable<BigInt>,
        review_reasons -> Nullable<Text>,
        review_note -> Nullable<Text>,
    }
}
diesel::table! {
    posting_reports (id) {
        id -> Text,
        posting_id -> Text,
        reason -> Text,
        detail -> Text,
        created_at -> BigInt,
        resolved_at -> Nullable<BigInt>,
    }
}
diesel::table! {
    saved_searches (id) {
        id -> Text,
        user_id -> Text,
        query_enc -> Binary,
        created_at -> BigInt,
        checked_at -> BigInt,
    }
}
diesel::table! {
    notifications (id) {
        id -> Text,
        user_id -> Text,
        kind -> Text,
        ref_id -> Text,
        created_at -> BigInt,
        read_at -> Nullable<BigInt>,
    }
}
diesel::table! {
    barrier_reports (id) {
        id -> Text,
        report_enc -> Binary,
        created_at -> BigInt,
        resolved_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    form_drafts (id) {
        id -> Text,
        owner -> Text,
        flow -> Text,
        data_enc -> Binary,
        updated_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::joinable!(memberships -> organizations (org_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(consents -> users (user_id));
diesel::table! {
    email_checks (id) {
        id -> Text,
        token_hash -> Text,
        user_id -> Text,
        email_bidx -> Text,
        email_enc -> Binary,
        created_at -> BigInt,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
    }
}
diesel::joinable!(email_checks -> users (user_id));
diesel::table! {
    totp_factors (user_id) {
        user_id -> Text,
        secret_enc -> Binary,
        created_at -> BigInt,
        confirmed_at -> Nullable<BigInt>,
        last_step -> BigInt,
    }
}
diesel::table! {
    recovery_codes (id) {
        id -> Text,
        user_id -> Text,
        code_hash -> Text,
        created_at -> BigInt,
        used_at -> Nullable<BigInt>,
    }
}
diesel::table! {
    login_challenges (id) {
        id -> Text,
        token_hash -> Text,
        user_id -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
        attempts -> Integer,
    }
}
diesel::table! {
    incidents (id) {
        id -> Text,
        created_at -> BigInt,
        summary_enc -> Binary,
        kinds -> Text,
        cause -> Text,
        cause_detail_enc -> Binary,
        found_at -> BigInt,
        people_estimate -> BigInt,
        financial_risk -> Bool,
        encrypted -> Bool,
        report_enc -> Nullable<Binary>,
        scope -> Text,
        preliminary_reported_at -> Nullable<BigInt>,
        final_reported_at -> Nullable<BigInt>,
        people_notified_at -> Nullable<BigInt>,
        closed_at -> Nullable<BigInt>,
    }
}
diesel::table! {
    incident_reminders (incident_id, stage) {
        incident_id -> Text,
        stage -> Text,
        sent_at -> BigInt,
    }
}
diesel::table! {
    incident_people (incident_id, user_id) {
        incident_id -> Text,
        user_id -> Text,
    }
}
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(postings -> organizations (org_id));
diesel::joinable!(company_profiles -> organizations (org_id));
diesel::joinable!(posting_reports -> postings (posting_id));
diesel::joinable!(applications -> organizations (org_id));
diesel::joinable!(application_events -> applications (application_id));

diesel::table! {
    interviews (id) {
        id -> Text,
        application_id -> Text,
        status -> Text,
        accommodations -> Text,
        chosen_slot -> Nullable<Text>,
        request_enc -> Nullable<Binary>,
        sequence -> Integer,
        reminded_at -> Nullable<BigInt>,
        created_by -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}
diesel::table! {
    interview_slots (id) {
        id -> Text,
        interview_id -> Text,
        starts_at -> Text,
        minutes -> Integer,
        place -> Text,
        online_url -> Text,
    }
}
diesel::table! {
    ledger_entries (id) {
        id -> Text,
        item_id -> Text,
        version -> Integer,
        application_id -> Text,
        codes -> Text,
        request_enc -> Binary,
        discussion_enc -> Binary,
        decision -> Text,
        reason_enc -> Binary,
        decided_on -> Nullable<Text>,
        side -> Text,
        written_by -> Text,
        created_at -> BigInt,
    }
}
diesel::table! {
    ledger_acks (entry_id, side) {
        entry_id -> Text,
        side -> Text,
        user_id -> Text,
        at -> BigInt,
    }
}
diesel::table! {
    company_workforce (org_id) {
        org_id -> Text,
        workforce_halves -> Integer,
        counted_halves -> Integer,
        updated_by -> Text,
        updated_at -> BigInt,
    }
}
diesel::table! {
    threads (id) {
        id -> Text,
        kind -> Text,
        seeker_id -> Text,
        application_id -> Nullable<Text>,
        employment_id -> Nullable<Text>,
        facility_id -> Nullable<Text>,
        supporter_joins -> Bool,
        last_seq -> BigInt,
        last_at -> BigInt,
        created_at -> BigInt,
    }
}
diesel::table! {
    messages (id) {
        id -> Text,
        thread_id -> Text,
        seq -> BigInt,
        sender_id -> Text,
        visibility -> Text,
        body_enc -> Binary,
        agency_user_id -> Nullable<Text>,
        agency_visible -> Bool,
        created_at -> BigInt,
    }
}
diesel::table! {
    thread_reads (thread_id, user_id) {
        thread_id -> Text,
        user_id -> Text,
        read_seq -> BigInt,
        read_at -> BigInt,
    }
}
diesel::table! {
    attachments (id) {
        id -> Text,
        message_id -> Text,
        name_enc -> Binary,
        mime -> Text,
        size -> BigInt,
        blob_key -> Text,
        created_at -> BigInt,
    }
}
diesel::table! {
    notification_settings (user_id, kind) {
        user_id -> Text,
        kind -> Text,
        email -> Bool,
        updated_at -> BigInt,
    }
}
diesel::table! {
    unsubscribe_links (token) {
        token -> Text,
        user_id -> Text,
        kind -> Text,
        created_at -> BigInt,
    }
}
diesel::table! {
    message_reports (id) {
        id -> Text,
        message_id -> Text,
        reporter_id -> Text,
        reason -> Text,
        created_at -> BigInt,
        decided_at -> Nullable<BigInt>,
        decided_by -> Nullable<Text>,
        decision -> Nullable<Text>,
    }
}
diesel::table! {
    operator_roles (user_id, role) {
        user_id -> Text,
        role -> Text,
        granted_at -> BigInt,
    }
}
diesel::table! {
    agency_delegations (id) {
        id -> Text,
        org_id -> Text,
        from_date -> Text,
        until_date -> Text,
        created_by -> Text,
        created_at -> BigInt,
        ended_at -> Nullable<BigInt>,
    }
}
diesel::table! {
    daily_reports (id) {
        id -> Text,
        employment_id -> Text,
        seeker_id -> Text,
        day -> Text,
        data_enc -> Binary,
        idempotency_key -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}
diesel::table! {
    report_items (id) {
        id -> Text,
        seeker_id -> Text,
        label_enc -> Binary,
        kind -> Text,
        created_by -> Text,
        created_at -> BigInt,
        retired_at -> Nullable<BigInt>,
    }
}
diesel::joinable!(daily_reports -> employments (employment_id));
diesel::joinable!(alerts -> employments (employment_id));
diesel::joinable!(alert_rules -> employments (employment_id));
diesel::joinable!(messages -> threads (thread_id));
diesel::joinable!(message_reports -> messages (message_id));
diesel::joinable!(operator_roles -> users (user_id));
diesel::joinable!(attachments -> messages (message_id));
diesel::joinable!(agency_delegations -> organizations (org_id));
diesel::table! {
    support_records (id) {
        id -> Text,
        record_id -> Text,
        version -> Integer,
        employment_id -> Text,
        seeker_id -> Text,
        facility_id -> Text,
        author_id -> Text,
        kind -> Text,
        day -> Text,
        data_enc -> Binary,
        created_at -> BigInt,
    }
}
diesel::table! {
    report_comments (id) {
        id -> Text,
        employment_id -> Text,
        seeker_id -> Text,
        author_id -> Text,
        role -> Text,
        period -> Text,
        day -> Text,
        body_enc -> Binary,
        created_at -> BigInt,
    }
}
diesel::table! {
    alert_rules (employment_id) {
        employment_id -> Text,
        rules -> Text,
        updated_by -> Nullable<Text>,
        updated_at -> BigInt,
        last_slot -> BigInt,
    }
}
diesel::table! {
    alerts (id) {
        id -> Text,
        employment_id -> Text,
        seeker_id -> Text,
        rule -> Text,
        day -> Text,
        first_to -> Text,
        escalate_at -> Nullable<BigInt>,
        escalated_at -> Nullable<BigInt>,
        created_at -> BigInt,
        acked_at -> Nullable<BigInt>,
        acked_by -> Nullable<Text>,
        ack_note_enc -> Nullable<Binary>,
    }
}
diesel::table! {
    monthly_reports (id) {
        id -> Text,
        employment_id -> Text,
        seeker_id -> Text,
        month -> Text,
        body_enc -> Binary,
        updated_by -> Text,
        updated_at -> BigInt,
        confirmed_at -> Nullable<BigInt>,
        to_follow_up -> Bool,
        to_family -> Bool,
    }
}
diesel::table! {
    stated_purposes (id) {
        id -> Text,
        staff_id -> Text,
        subject_id -> Text,
        purpose -> Text,
        note_enc -> Binary,
        stated_at -> BigInt,
        until_at -> BigInt,
    }
}
diesel::table! {
    account_actions (id) {
        id -> Text,
        user_id -> Text,
        seq -> BigInt,
        action -> Text,
        reason -> Text,
        note_enc -> Binary,
        actor_id -> Text,
        at -> BigInt,
    }
}
diesel::allow_tables_to_appear_in_same_query!(
    stated_purposes,
    account_actions,
    monthly_reports,
    support_records,
    report_comments,
    alert_rules,
    alerts,
    daily_reports,
    report_items,
    subject_keys,
    erased_subjects,
    retention_holds,
    rights_requests,
    users,
    organizations,
    memberships,
    family_links,
    policy_versions,
    consents,
    sessions,
    password_resets,
    invitations,
    outbox,
    audit_log,
    audit_head,
    profile_sections,
    certificate_reminders,
    applications,
    scouts,
    blocks,
    provision_records,
    profile_drafts,
    company_profiles,
    postings,
    posting_reports,
    saved_searches,
    notifications,
    barrier_reports,
    form_drafts,
    application_events,
    application_internal,
    employments,
    interviews,
    interview_slots,
    ledger_entries,
    ledger_acks,
    company_workforce,
    threads,
    messages,
    thread_reads,
    attachments,
    notification_settings,
    unsubscribe_links,
    message_reports,
    operator_roles,
    agency_delegations,
    totp_factors,
    email_checks,
    recovery_codes,
    login_challenges,
    incidents,
    incident_people,
    incident_reminders,
);
diesel::table! {
    billing_plans (id) {
        id -> Text,
        org_kind -> Text,
        name -> Text,
        monthly_fee -> BigInt,
        success_fee -> BigInt,
        created_by -> Text,
        created_at -> BigInt,
    }
}
diesel::table! {
    billing_subscriptions (org_id) {
        org_id -> Text,
        plan_id -> Text,
        since_month -> Text,
        set_by -> Text,
        set_at -> BigInt,
    }
}
diesel::table! {
    invoices (id) {
        id -> Text,
        number -> Text,
        org_id -> Text,
        month -> Text,
        issued_on -> Text,
        due_on -> Text,
        recipient -> Text,
        issuer_name -> Text,
        issuer_address -> Text,
        registration_number -> Text,
        total -> BigInt,
        paid_on -> Nullable<Text>,
        paid_recorded_by -> Nullable<Text>,
        keep_until -> Text,
        created_at -> BigInt,
    }
}
diesel::table! {
    invoice_lines (invoice_id, pos) {
        invoice_id -> Text,
        pos -> Integer,
        kind -> Text,
        detail -> Text,
        quantity -> BigInt,
        unit_price -> BigInt,
        amount -> BigInt,
        tax_rate -> Integer,
    }
}
diesel::table! {
    invoice_taxes (invoice_id, tax_rate) {
        invoice_id -> Text,
        tax_rate -> Integer,
        base -> BigInt,
        tax -> BigInt,
    }
}
diesel::joinable!(invoice_lines -> invoices (invoice_id));
diesel::joinable!(invoice_taxes -> invoices (invoice_id));
diesel::joinable!(billing_subscriptions -> billing_plans (plan_id));
diesel::joinable!(billing_subscriptions -> organizations (org_id));
diesel::joinable!(invoices -> organizations (org_id));
diesel::allow_tables_to_appear_in_same_query!(
    billing_plans,
    billing_subscriptions,
    invoices,
    invoice_lines,
    invoice_taxes,
    organizations,
);
diesel::table! {
    statistics_releases (id) {
        id -> Text,
        published_at -> BigInt,
        published_by -> Text,
        k -> Integer,
        people -> Integer,
        tables_json -> Text,
    }
}
