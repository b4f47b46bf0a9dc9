"""`mailkit export klaviyo --push`: images, templates and draft flows, against the fake
Klaviyo (tests/klaviyo_fake.py), whose every request is checked against the official
OpenAPI schema. Counts come from the loaded demo project, not literals."""

from __future__ import annotations

import re
from pathlib import Path

from klaviyo_fake import KEY, FakeKlaviyo, export_cli

from mailkit.commands.export import export_klaviyo
from mailkit.klaviyo.push.flows import flow_plans
from mailkit.klaviyo.push.images import assets
from mailkit.klaviyo.push.sync import sync


def expected(root: Path) -> tuple[int, int, int]:
    export = export_klaviyo(root)
    return len(export.templates), len(assets(export)), len(flow_plans(export))


def created(fake: FakeKlaviyo) -> list[str]:
    return [op for op in fake.operations() if op.startswith(("create", "upload"))]


def test_first_push_creates_everything_once_then_nothing(demo_copy, fake):
    templates, images, flows = expected(demo_copy)
    assert (templates, flows) == (10, 7) and images > 0
    first = export_cli(demo_copy, "--push", fake=fake)
    assert first.exit_code == 0, first.output
    ops = created(fake)
    assert ops.count("create_template") == templates
    assert ops.count("upload_image_from_file") == images
    assert ops.count("create_flow") == flows
    assert len(fake.flows) == flows and len(fake.images) == images
    assert all(f["status"] == "draft" for f in fake.flows.values())
    for flow in fake.flows.values():
        for action in flow["definition"]["actions"]:
            if action["type"] == "send-email":
                assert action["data"]["status"] == "draft"
    assert f"{templates + images + flows} create, 0 update, 0 unchanged" in first.stdout

    fake.bodies.clear()
    second = export_cli(demo_copy, "--push", fake=fake)
    assert second.exit_code == 0, second.output
    assert fake.operations() == []  # nothing created, nothing updated
    assert "0 create, 0 update, " in second.stdout
    assert KEY not in first.output + second.output


def test_the_flows_klaviyo_receives(demo_copy, fake):
    assert export_cli(demo_copy, "--push", fake=fake).exit_code == 0
    flows = {f["name"]: f["definition"] for f in fake.flows.values()}
    post = flows["r-pur · Post-achat"]
    assert post["triggers"][0] == {"type": "metric", "id": "M-FUL"}
    chain = [(a["type"], a["data"].get("value"), a["data"].get("unit")) for a in post["actions"]]
    assert chain == [("send-email", None, None), ("time-delay", 3, "days"),
                     ("send-email", None, None), ("time-delay", 11, "days"),
                     ("send-email", None, None), ("time-delay", 7, "days"),
                     ("send-email", None, None)]
    message = post["actions"][2]["data"]["message"]
    assert message["from_email"] == "hello@r-pur.com" and message["from_label"] == "R-PUR"
    # Klaviyo's language, not HTML-escaped (a name like D'Arcy), without a name read well
    assert message["subject_line"].startswith("{% autoescape off %}{% if first_name %}"
                                              "{{ first_name|default:'' }}, suis{% else %}Suis")
    assert message["preview_text"]
    refill = flows["r-pur · Réassort des filtres"]
    assert refill["triggers"][0]["trigger_filter"] == {"condition_groups": [{"conditions": [{
        "type": "metric-property", "metric_id": "M-PLA", "field": "Items",
        "filter": {"type": "list", "operator": "contains", "value": "Filtres FiiT (lot de 3)"}}]}]}
    assert [a["data"] for a in refill["actions"] if a["type"] == "time-delay"] == [
        {"unit": "days", "value": 80, "timezone": "profile"}]  # 90-day lifetime − 10 days
    addon = flows["r-pur · Offre accessoire à la commande"]
    assert addon["actions"][0]["data"]["unit"] == "hours"
    assert flows["kokawa · VIP"]["triggers"][0] == {"type": "segment", "id": "S-VIP"}


def test_todo_lists_what_the_api_cannot_express(demo_copy, fake):
    result = export_cli(demo_copy, "--push", fake=fake)
    todo = [line for line in result.stdout.splitlines() if line.startswith("to do")]
    winback = [line for line in todo if "kokawa · Winback" in line]
    assert any("batch rule" in line and "50 %" in line and "open rate above 10 %" in line
               for line in winback), winback
    assert sum("set each email live by hand" in line for line in todo) == 7
    assert "to do         kokawa · images: put the brand's assets at " \
        "https://cdn.kokawa.fr/emails/<file>" in result.stdout
    assert "r-pur · images" not in result.stdout  # R-PUR's go to Klaviyo's library


def test_a_changed_subject_is_one_update(demo_copy, fake):
    assert export_cli(demo_copy, "--push", fake=fake).exit_code == 0
    path = demo_copy / "brands/r-pur/emails/refill.mjml.j2"
    source = path.read_text("utf-8")
    new = re.sub(r"({% block subject %})(.*?)({% endblock %})",
                 lambda m: m.group(1) + "Plus que 10\u00a0jours pour tes filtres" + m.group(3),
                 source, count=1, flags=re.S)
    assert new != source
    path.write_text(new, "utf-8")
    plan = export_cli(demo_copy, "--push", "--dry-run", fake=fake)
    updates = [line for line in plan.stdout.splitlines() if line.startswith("would update")]
    assert len(updates) == 1 and "subject:" in updates[0], plan.stdout
    assert ("subject: “Plus que 10\u00a0jours de filtre” → “Plus que 10\u00a0jours pour tes "
            "filtres”") in updates[0]
    fake.bodies.clear()
    result = export_cli(demo_copy, "--push", fake=fake)
    assert result.exit_code == 0, result.output
    assert fake.operations() == ["update_flow_action"]
    [flow] = [f for f in fake.flows.values() if f["name"] == "r-pur · Réassort des filtres"]
    [email] = [a for a in flow["definition"]["actions"] if a["type"] == "send-email"]
    assert email["data"]["message"]["subject_line"] == "Plus que 10\u00a0jours pour tes filtres"


def test_changed_html_updates_the_template_and_the_flow_copy(demo_copy, fake):
    assert export_cli(demo_copy, "--push", fake=fake).exit_code == 0
    path = demo_copy / "brands/r-pur/emails/refill.mjml.j2"
    source = path.read_text("utf-8")
    assert source.count("{% block content %}") == 1
    path.write_text(source.replace("{% block content %}", """{% block content %}
<mj-section><mj-column><mj-text>Une ligne de plus.</mj-text></mj-column></mj-section>"""),
                    "utf-8")
    plan = export_cli(demo_copy, "--push", "--dry-run", fake=fake)
    updates = [line for line in plan.stdout.splitlines() if line.startswith("would update")]
    assert len(updates) == 2 and all("HTML" in line for line in updates), plan.stdout
    fake.bodies.clear()
    assert export_cli(demo_copy, "--push", fake=fake).exit_code == 0
    assert fake.operations() == ["update_template", "update_template"]


def test_a_live_flow_is_left_alone(demo_copy, fake):
    assert export_cli(demo_copy, "--push", fake=fake).exit_code == 0
    for flow in fake.flows.values():
        flow["status"] = "live"
    path = demo_copy / "brands/r-pur/flows.yaml"
    path.write_text(path.read_text("utf-8").replace("delay: {days: 14}", "delay: {days: 15}"),
                    "utf-8")
    fake.bodies.clear()
    result = export_cli(demo_copy, "--push", fake=fake)
    blocked = [line for line in result.stdout.splitlines() if line.startswith("blocked")]
    assert any("delay 11 days → 12 days" in line and "live: left alone" in line
               for line in blocked), result.stdout
    assert "update_flow_action" not in fake.operations()


def test_dry_run_prints_the_plan_and_writes_nothing(demo_copy, fake):
    result = export_cli(demo_copy, "--push", "--dry-run", fake=fake)
    assert result.exit_code == 0, result.output
    templates, images, flows = expected(demo_copy)
    assert result.stdout.count("would create  template") == templates
    assert result.stdout.count("would create  image") == images
    assert result.stdout.count("would create  flow") == flows
    assert "(dry run: nothing written)" in result.stdout
    assert fake.operations() == [] and not fake.templates and not fake.flows


def fake_writes_done(fake: FakeKlaviyo) -> int:
    return len(fake.images) + len(fake.flows) + \
        len([t for t in fake.templates.values() if "(flow copy)" not in t["name"]])


def test_partial_failure_reports_and_a_second_push_completes(demo_copy, fake):
    templates, images, flows = expected(demo_copy)
    fake.fail_after_writes = (templates + images + flows) // 2
    sleeps: list[float] = []
    first = sync(export_klaviyo(demo_copy), api_key=KEY, base_url=fake.base,
                 sleep=sleeps.append, max_retries=2)
    lines = first.lines()
    assert not first.ok and len(first.done) == fake_writes_done(fake)
    assert len(first.failed) == 1 and first.not_attempted
    assert len(first.done) + 1 + len(first.not_attempted) == templates + images + flows
    assert any(line.startswith("not done") for line in lines)
    assert lines[-1].startswith("stopped early: Klaviyo kept failing (HTTP 503 after 3 attempts")
    assert sleeps == [0.5, 1.0]
    fake.fail_after_writes = None
    second = export_cli(demo_copy, "--push", fake=fake)
    assert second.exit_code == 0, second.output
    assert len(fake.flows) == flows and len(fake.images) == images
    assert len([t for t in fake.templates.values() if "(flow copy)" not in t["name"]]) == \
        templates
    fake.bodies.clear()
    assert export_cli(demo_copy, "--push", fake=fake).exit_code == 0 and fake.operations() == []


def test_rate_limit_and_server_errors_are_retried(demo_copy, fake):
    fake.faults = [("POST", 429, {"Retry-After": "7"}), ("POST", 503, {}), ("GET", 500, {})]
    sleeps: list[float] = []
    said: list[str] = []
    report = sync(export_klaviyo(demo_copy), api_key=KEY, base_url=fake.base,
                  sleep=sleeps.append, log=said.append)
    assert report.ok and sleeps == [0.5, 7.0, 1.0]  # the same POST's 2nd retry
    assert any("rate limit hit (HTTP 429, Retry-After 7 s)" in line for line in said)


def test_exported_html_points_at_library_urls(demo_copy, fake):
    assert export_cli(demo_copy, "--push", fake=fake).exit_code == 0
    out = demo_copy / "build/klaviyo"
    library = {a["image_url"] for a in fake.images.values()}
    for html in out.glob("*/*.html"):
        srcs = re.findall(r'<img[^>]+src="([^"]+)"', html.read_text("utf-8"))
        for src in srcs:
            assert src.startswith(("https://", "{{")), (html, src)
        if html.parent.name == "r-pur":
            assert "cdn.r-pur.com" not in html.read_text("utf-8")
            assert {s for s in srcs if not s.startswith("{{")} <= library
        else:  # kokawa chose its own host (images: public_base_url)
            assert all(s.startswith(("https://cdn.kokawa.fr/emails/", "{{")) for s in srcs)
    for stored in fake.templates.values():
        assert "../assets" not in stored["html"] and 'src="/' not in stored["html"]


def test_a_changed_image_is_uploaded_once_more(demo_copy, fake):
    from klaviyo_fake import png

    assert export_cli(demo_copy, "--push", fake=fake).exit_code == 0
    before = len(fake.images)
    (demo_copy / "brands/r-pur/assets/logo.png").write_bytes(png("a new logo"))
    fake.bodies.clear()
    result = export_cli(demo_copy, "--push", fake=fake)
    assert result.exit_code == 0, result.output
    assert fake.operations().count("upload_image_from_file") == 1
    assert len(fake.images) == before + 1
    assert "upload_image_from_file" in fake.operations()


def test_a_trigger_missing_from_the_account_blocks_only_its_flows(demo_copy, fake):
    del fake.metrics["M-PLA"]  # no Shopify orders recorded in this account yet
    result = export_cli(demo_copy, "--push", fake=fake)
    blocked = [line for line in result.stdout.splitlines() if line.startswith("blocked")]
    assert len(blocked) == 2 and all("no metric named “Placed Order”" in b for b in blocked)
    assert len(fake.flows) == len(flow_plans(export_klaviyo(demo_copy))) - 2
    assert result.exit_code == 0  # blocked is a to-do for a person, not a failure


def test_the_key_is_never_written(demo_copy, fake):
    assert export_cli(demo_copy, "--push", "--verify", fake=fake).exit_code == 0
    for path in (demo_copy / "build").rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_a_failed_upload_holds_back_the_templates_that_show_it(demo_copy, fake):
    fake.faults = [("POST", 400, {})]  # the first write: the first image's upload
    first = export_cli(demo_copy, "--push", fake=fake)
    assert first.exit_code == 1
    failed = [line for line in first.stdout.splitlines() if line.startswith("failed")]
    assert failed[0].startswith("failed        image       mailkit r-pur/logo.png")
    held = [line for line in failed if "not pushed: its image logo.png was not uploaded" in line]
    r_pur = [t for t in export_klaviyo(demo_copy).templates if t.brand == "r-pur"]
    assert len(held) == len(r_pur)  # the logo is in every r-pur email
    for stored in fake.templates.values():
        assert "cdn.r-pur.com" not in stored["html"]
    second = export_cli(demo_copy, "--push", fake=fake)
    assert second.exit_code == 0, second.output
    assert all(t.name in {a["name"] for a in fake.templates.values()} for t in r_pur)


def test_a_flow_with_an_email_set_live_is_left_alone(demo_copy, fake):
    assert export_cli(demo_copy, "--push", fake=fake).exit_code == 0
    [flow] = [f for f in fake.flows.values() if f["name"] == "r-pur · Réassort des filtres"]
    [email] = [a for a in flow["definition"]["actions"] if a["type"] == "send-email"]
    email["data"]["status"] = "live"  # set live by hand in Klaviyo; the flow says draft
    path = demo_copy / "brands/r-pur/flows.yaml"
    path.write_text(path.read_text("utf-8").replace("lead_days: 10", "lead_days: 12"), "utf-8")
    fake.bodies.clear()
    result = export_cli(demo_copy, "--push", fake=fake)
    assert "update_flow_action" not in fake.operations()
    [line] = [line for line in result.stdout.splitlines() if "delay 80 days → 78 days" in line]
    assert line.startswith("blocked") and "the flow is partly live: left alone" in line
