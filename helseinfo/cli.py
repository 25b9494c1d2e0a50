"""``helseinfo``: the project's one command-line tool.

Every error a user or editor can cause is printed as one clear line (or one line per
problem) on standard error, with exit status 1; never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assistant.cli import assistant
from assistant.nlp.cli import nlp
from helseinfo.cliutils import MAX_TEXT, clean_errors, content_option, read_jsonl
from helseinfo.kernel.errors import HelseinfoError
from helseinfo.kernel.paths import CONTENT, PROJECT
from helseinfo.prod import bench_load, prod
from helseinfo.review import review
from search_index.cli import search, search_api
from services_catalog.cli import catalog


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """Helseinformasjon på ett sted: bygg, sjekk og server helsebiblioteket."""


@main.command()
@content_option
@click.option("--days", default=30, show_default=True, help="Vis revisjoner som forfaller innen så mange dager.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@clean_errors
def check(content_dir: Path, days: int, paths: tuple[Path, ...]):
    """Sjekk front matter, interne lenker, lesbarhet (LIX) og revisjonsdatoer.

    Med PATHS vises bare det som gjelder de filene (alt lastes likevel, så lenker og
    språkpar blir sjekket).
    """
    from site_builder.checks import run_checks

    report = run_checks(content_dir, days=days, only=[p.resolve() for p in paths])
    click.echo(report.render())
    sys.exit(1 if report.errors else 0)


@main.command()
@click.option(
    "--strict",
    is_flag=True,
    help="Produksjon: stopp ved utkast, forfalt revisjon eller brutte lenker, "
    "og når HELSEINFO_ASSISTANT_URL (assistentens adresse) ikke er satt.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=PROJECT / "site",
    show_default=True,
    help="Hvor nettstedet publiseres (en lenke som byttes atomisk).",
)
@click.option(
    "--config-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=PROJECT / "mkdocs.yml",
    show_default=True,
    help="mkdocs-konfigurasjonen.",
)
@click.option("--quiet", is_flag=True, help="Bare feil.")
@clean_errors
def build(strict: bool, out: Path, config_file: Path, quiet: bool):
    """Sjekk innholdet og katalogen, bygg nettstedet og publiser det atomisk."""
    from helseinfo.build import build_site

    release = build_site(out, strict=strict, config_file=config_file, verbose=not quiet)
    click.echo(f"Publisert: {out} -> {release.name}")


@main.command()
@click.option("--built", is_flag=True, help="Server det publiserte nettstedet (fra helseinfo build) i stedet for forhåndsvisning.")
@click.option("--site", type=click.Path(file_okay=False, path_type=Path), default=PROJECT / "site", show_default=True)
@click.option("--port", default=8000, show_default=True)
@clean_errors
def serve(built: bool, site: Path, port: int):
    """Forhåndsvis nettstedet med automatisk oppdatering (eller server det publiserte med --built)."""
    if built:
        from helseinfo.serve import serve_site

        if not (site / "index.html").is_file():
            raise HelseinfoError(f"{site}: fant ikke et bygget nettsted; kjør 'helseinfo build' først")
        serve_site(site, port=port)
        return
    from mkdocs.commands.serve import serve as mkdocs_serve

    mkdocs_serve(str(PROJECT / "mkdocs.yml"), dev_addr=f"127.0.0.1:{port}", livereload=True)


@main.command()
@click.argument("text", required=False)
@click.option("--json", "as_json", is_flag=True, help="Svar som JSON.")
@click.option("--jsonl", type=click.Path(dir_okay=False, path_type=Path), help='Fil med {"id", "text"} per linje.')
@content_option
@clean_errors
def triage(text: str | None, as_json: bool, jsonl: Path | None, content_dir: Path):
    """Vurder hvor mye det haster: akuttkortet først, så artiklenes kort, med begrunnelse."""
    import json

    from assistant.triage import TriageEngine
    from content_model.loader import load_library
    from helseinfo.kernel.errors import InputError

    if (text is None) == (jsonl is None):
        raise InputError("gi enten en TEKST eller --jsonl FIL")
    engine = TriageEngine(load_library(content_dir, codes=False))
    items = read_jsonl(jsonl, ("id", "text")) if jsonl else [{"id": None, "text": text}]
    for item in items:
        if not isinstance(item["text"], str) or len(item["text"]) > MAX_TEXT:
            where = f"teksten med id {item['id']!r}" if jsonl else "teksten"
            raise InputError(
                f"{where} er ikke tekst eller er lengre enn {MAX_TEXT} tegn; skriv kortere. "
                "Haster det: ring 113 ved fare for liv, legevakten på 116 117, Mental Helse på 116 123"
            )
        result = engine.assess(item["text"]).to_json()
        if jsonl or as_json:
            out = {"id": item["id"], **result} if jsonl else result
            click.echo(json.dumps(out, ensure_ascii=False))
        else:
            click.echo(result["advice"])


@main.group()
def bench():
    """Ytelsesmålinger (ikke en del av testene); resultater i docs/benchmarks.md."""


@bench.command("build")
@click.option("--pages", default=1000, show_default=True, help="Antall syntetiske artikler.")
@click.option("--rounds", default=3, show_default=True, help="Runder, med byggene i vekslende rekkefølge; medianen rapporteres.")
@clean_errors
def bench_build_command(pages: int, rounds: int):
    """Bygg N syntetiske artikler med pluginen og med ren mkdocs-material, og sammenlign."""
    from helseinfo.bench import bench_build

    result = bench_build(pages, rounds)
    click.echo(
        f"{result['pages']} sider, median av {result['rounds']} runder: mkdocs-material {result['plain_s']} s ({result['plain_s_per_1000']} s per 1000, "
        f"{result['plain_peak_mb']} MB), helseinfo-plugin {result['plugin_s']} s ({result['plugin_s_per_1000']} s per 1000, "
        f"{result['plugin_peak_mb']} MB); forhold plugin/ren {result['ratio']}"
    )


@bench.command("search")
@click.option("--docs", default=10000, show_default=True, help="Antall syntetiske dokumenter.")
@click.option("--box-only", is_flag=True, help="Bare søkefeltet: søketjenesten mot Materials søk.")
@click.option(
    "--site",
    type=click.Path(file_okay=False, path_type=Path),
    default=PROJECT / "site",
    show_default=True,
    help="Et bygget nettsted med søkeindeksen ved siden av (fra helseinfo build).",
)
@click.option("--seconds", default=20.0, show_default=True, help="Varighet av lasttesten med 20 samtidige klienter.")
@click.option("--workers", default="1,2", show_default=True, help="Prosesser i søketjenesten under lasttesten, kommadelt.")
@clean_errors
def bench_search_command(docs: int, box_only: bool, site: Path, seconds: float, workers: str):
    """Søkeindeksen mot SQLite FTS5 (byggetid, p50/p95, ekte og syntetisk korpus), og søkefeltet:
    søketjenesten mot Materials lunr-søk (recall@5, MRR, p95 under 20 klienter, nedlastet mengde)."""
    from search_index.bench import bench_box, bench_search

    if not box_only:
        click.echo(bench_search(docs))
    counts = tuple(int(w) for w in workers.replace(" ", "").split(",") if w)
    click.echo(bench_box(site, seconds, counts))


@bench.command("portal")
@click.option(
    "--rounds", default=10, show_default=True, help="Runder, hver i en ny nettleserkontekst (tom buffer); median og tregeste rapporteres."
)
@click.option(
    "--site",
    type=click.Path(file_okay=False, path_type=Path),
    default=PROJECT / "site",
    show_default=True,
    help="Et bygget nettsted (fra helseinfo build); finnes det ikke, bygges et i en midlertidig mappe.",
)
@clean_errors
def bench_portal_command(rounds: int, site: Path):
    """Portalmodulen og innholds-API-et: størrelser (rå og gzip) og tiden fra kallet til listene i Chromium
    (første kall, senere kall, og etter omlasting med filene i HTTP-bufferen)."""
    from benchmarks.portal import bench_portal, built_site

    def progress(line: str) -> None:
        click.echo(line, err=True)

    with built_site(site, progress) as path:
        for line in bench_portal(path, rounds, progress):
            click.echo(line)


main.add_command(catalog)


main.add_command(assistant)


main.add_command(nlp)


main.add_command(search)
main.add_command(search_api)


main.add_command(review)

main.add_command(prod)  # helseinfo/prod.py: the production profile
bench.add_command(bench_load)


@bench.command("nlu")
@click.option("--folds", default=5, show_default=True)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="En annen Rasa-konfigurasjon (for ablasjon); standard assistant/config.yml.",
)
@clean_errors
def bench_nlu_command(folds: int, config_file: Path | None):
    """Kryssvalidering av NLU: makro-F1 for intensjonene."""
    from assistant.cli import cross_validate

    result = cross_validate(folds, config_file)
    click.echo(
        f"{folds}-fold kryssvalidering: makro-F1 {result['macro_f1']}, vektet F1 {result['weighted_f1']}, "
        f"treffsikkerhet {result['accuracy']} ({result['seconds']} s)"
    )
    click.echo("Svakest: " + ", ".join(f"{name} {f1:.2f}" for name, f1 in result["worst"]))


@bench.command("assistant")
@click.option("--requests", "count", default=200, show_default=True, help="Meldinger én om gangen (enkeltmeldingens tid).")
@click.option("--concurrency", default="", help="Samtaler samtidig i lukket sløyfe, kommadelt, f.eks. 10,25,50.")
@click.option("--seconds", default=30.0, show_default=True, help="Varighet for hvert samtidighetsnivå.")
@click.option("--baseline", default=None, help="Mål også en tidligere revisjon (git) i samme kjøring og skriv forholdet.")
@clean_errors
def bench_assistant_command(count: int, concurrency: str, seconds: float, baseline: str | None):
    """REST-rundtur med handlingsserveren (p50/p95), gjennomstrømning ved samtidige samtaler, oppstartstid og minne."""
    from assistant.cli import bench_rest

    levels = tuple(int(v) for v in concurrency.replace(" ", "").split(",") if v)
    if baseline:
        from benchmarks.baseline import compare

        figures = compare(baseline, levels, seconds, echo=lambda line: click.echo(line, err=True))
        for before, now in zip(figures["baseline"], figures["now"]):
            click.echo(
                f"{now['conversations']} samtidig: {baseline} {before['per_s']} meldinger/s (p95 {before['p95_ms']} ms, "
                f"CPU per melding Rasa {before['rasa_cpu_ms']} ms, handlingsserver {before['actions_cpu_ms']} ms); "
                f"nå {now['per_s']} meldinger/s (p95 {now['p95_ms']} ms, CPU per melding Rasa {now['rasa_cpu_ms']} ms, "
                f"handlingsserver {now['actions_cpu_ms']} ms): {now['per_s'] / max(before['per_s'], 0.01):.2f} ganger så mange "
                f"meldinger/s, {before['rasa_cpu_ms'] / max(now['rasa_cpu_ms'], 0.01):.2f} ganger mindre CPU i Rasa per melding"
            )
        return
    result = bench_rest(count, concurrency=levels, seconds=seconds, progress=lambda line: click.echo(line, err=True))
    click.echo(f"{result['requests']} forespørsler: p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms; oppstart {result['startup_s']} s")
    for row in result["levels"]:
        click.echo(
            f"{row['conversations']} samtidig: {row['per_s']} meldinger/s ({row['messages']}), p50 {row['p50_ms']} ms, "
            f"p95 {row['p95_ms']} ms, p99 {row['p99_ms']} ms, feil {row['errors']}, «kan ikke svare nå» {row['unavailable']}, over 20 s {row['over_widget_timeout']}, "
            f"113 mangler {row['emergency_without_113']}, CPU per melding Rasa {row['rasa_cpu_ms']} ms, "
            f"handlingsserver {row['actions_cpu_ms']} ms"
        )
    click.echo(
        f"minne Rasa {result['rasa_rss_mb']} MB (topp {result['rasa_peak_mb']}), "
        f"handlingsserver {result['actions_rss_mb']} MB (topp {result['actions_peak_mb']})"
    )


@bench.command("triage")
@click.option("--show-wrong", is_flag=True, help="Vis tilfellene som ble feil.")
@click.option("--lemmas", is_flag=True, help="Mål også med lemmaer fra nb_helse_sm i stedet for stammer.")
@clean_errors
def bench_triage_command(show_wrong: bool, lemmas: bool):
    """Den blinde parafrasesamlingen (utviklingshalvdel og testhalvdel), Semigran-vignettene (BMJ 2015):
    norske lekversjoner og engelsk originaltekst mot artikkelens tabell, og motorens tid per melding."""
    import time

    from assistant.triage import TriageEngine
    from assistant.triage.benchmark import ENGLISH, HELD_OUT, NORWEGIAN, SEMIGRAN, load_blind, load_cases, score, score_blind
    from content_model.loader import load_library

    engine = TriageEngine(load_library(CONTENT, codes=False))
    click.echo(f"{'blind samling':<22}{'tekster':>8}{'nivå':>8}{'113-rec':>8}{'under':>8}{'sc→113':>8}   113 bommet")
    for half in ("dev", "test"):
        report = score_blind(engine, load_blind(half))
        click.echo(
            f"{half:<22}{report['cases']:>8}{report['exact']:>8.3f}{report['emergency_recall']:>8.3f}"
            f"{report['under_triage']:>8.3f}{report['self_care_to_113']:>8.3f}   {len(report['emergencies_missed'])}"
            + (f" {report['emergencies_missed']}" if half == "dev" else "")
        )
        if show_wrong and half == "dev":  # the test half is only scored, never read
            for case in report["wrong"]:
                click.echo(f"    {case['id']}: forventet {case['expected']}, fikk {case['got']} {case['matched'][:3]}")
    if lemmas:
        from assistant.triage.benchmark import lemma_tokenizer

        tokenizer, seconds = lemma_tokenizer()
        lemma_engine = TriageEngine(engine.library, tokenizer=tokenizer)
        for half in ("dev", "test"):
            report = score_blind(lemma_engine, load_blind(half))
            click.echo(
                f"{half + ' (lemmaer)':<22}{report['cases']:>8}{report['exact']:>8.3f}{report['emergency_recall']:>8.3f}"
                f"{report['under_triage']:>8.3f}{report['self_care_to_113']:>8.3f}   {len(report['emergencies_missed'])}"
            )
        seconds.sort()
        click.echo(
            f"spaCy nb_helse_sm per melding: p50 {seconds[len(seconds) // 2] * 1000:.1f} ms, "
            f"p95 {seconds[int(len(seconds) * 0.95)] * 1000:.1f} ms"
        )
    texts = [c["text"] for half in ("dev", "test") for c in load_blind(half)]
    timings = []
    for text in texts:
        start = time.perf_counter()
        engine.assess(text)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    click.echo(
        f"motorens tid per melding ({len(texts)} tekster): p50 {timings[len(timings) // 2]:.1f} ms, "
        f"p95 {timings[int(len(timings) * 0.95)]:.1f} ms"
    )
    click.echo(f"{'sett':<22}{'totalt':>8}{'em':>8}{'ne':>8}{'sc':>8}   forhold til Semigran (totalt/em/ne/sc)   em undertriert")
    click.echo(
        f"{'Semigran 2015 (23 app)':<22}{SEMIGRAN['overall']:>8.2f}{SEMIGRAN['em']:>8.2f}{SEMIGRAN['ne']:>8.2f}{SEMIGRAN['sc']:>8.2f}"
    )
    for name, path, key in (
        ("norsk lekspråk", NORWEGIAN, "text"),
        ("norsk, holdt utenfor", HELD_OUT, "text"),
        ("engelsk original", ENGLISH, "case_description"),
    ):
        report = score(engine, load_cases(path, key))
        ratios = "/".join(f"{report[k] / SEMIGRAN[k]:.2f}" for k in ("overall", "em", "ne", "sc"))
        click.echo(
            f"{name:<22}{report['overall']:>8.2f}{report['em']:>8.2f}{report['ne']:>8.2f}{report['sc']:>8.2f}   {ratios:<40} {report['emergencies_under_triaged']}"
        )
        if show_wrong:
            for case in report["wrong"]:
                click.echo(f"    {case['id']}: forventet {case['expected']}, fikk {case['got']} {case['matched'][:3]}")


if __name__ == "__main__":  # pragma: no cover
    main()
