"""“根据数据生成报告”: every section drafted anew from the latest data, in a background thread.

  POST /reports/{id}/generate          start (staff of the department, report not 待审/通过); one job per
                                       report at a time: a second press joins the running job
  GET  /reports/{id}/generate/{job}    progress: a page, the htmx partial it polls every 500 ms, or JSON

The LLM drafter serves when an endpoint is configured (falling back to the offline template per
section), the template otherwise. Generation only adds section versions; nothing is deleted. Jobs live
in memory (a restart forgets the progress, not the versions already saved).
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from dataclasses import dataclass, field

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from assistant.model.errors import InputError
from assistant.web.pages import respond, wants_json
from assistant.web.security import current_user, readable_report
from assistant.web.sessions import sessions_of
from assistant.web.views.report import writable_report

log = logging.getLogger("assistant.web")
router = APIRouter(tags=["生成报告"])
KEEP_JOBS = 200
FAILED = "生成未完成：{reason}。已生成的章节已保存，可以重新生成。"


@dataclass
class Job:
    id: str
    report_id: int
    drafter: str
    total: int = 0
    done: int = 0
    current: str = ""
    finished: bool = False
    error: str | None = None
    started: float = field(default_factory=time.monotonic)
    seconds: float | None = None

    def progress(self, done: int, total: int, title: str) -> None:
        self.done, self.total, self.current = done, total, title

    def to_json(self) -> dict:
        return {"id": self.id, "report_id": self.report_id, "drafter": self.drafter, "done": self.done,
                "total": self.total, "current": self.current, "finished": self.finished, "error": self.error,
                "seconds": None if self.seconds is None else round(self.seconds, 2),
                "percent": int(100 * self.done / self.total) if self.total else 0,
                "url": f"/reports/{self.report_id}/generate/{self.id}", "report_url": f"/reports/{self.report_id}"}


class Jobs:
    def __init__(self) -> None:
        self._items: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, report_id: int, drafter: str, run) -> Job:
        with self._lock:
            for job in self._items.values():
                if job.report_id == report_id and not job.finished:
                    return job
            job = Job(secrets.token_urlsafe(9), report_id, drafter)
            self._items[job.id] = job
            while len(self._items) > KEEP_JOBS:
                self._items.pop(next(iter(self._items)))
        threading.Thread(target=run, args=(job,), daemon=True, name=f"generate-{report_id}").start()
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._items.get(job_id)


_LOCK = threading.Lock()


def jobs_of(request: Request) -> Jobs:
    state = request.app.state
    with _LOCK:
        jobs = getattr(state, "generate_jobs", None)
        if jobs is None:
            jobs = state.generate_jobs = Jobs()
    return jobs


def _context(job: Job) -> dict:
    return {"job": job.to_json()}


@router.post("/reports/{report_id}/generate", summary="根据数据生成报告（后台进行）")
@router.post("/api/reports/{report_id}/generate", summary="根据数据生成报告（JSON）")
def start_generate(request: Request, report_id: int, user=Depends(current_user)):
    report = writable_report(request, report_id, user, "生成报告")
    cache = sessions_of(request)
    session = cache.session(report.id)  # InputError (no data) → 422 before any thread starts
    drafter = "llm" if cache.llm_configured else "template"

    def run(job: Job) -> None:
        try:
            session.generate(drafter=drafter, author_id=user.id, progress=job.progress)
        except InputError as error:
            job.error = FAILED.format(reason=str(error).rstrip("。"))
        except Exception:  # noqa: BLE001 — the page must say it stopped, never spin forever
            log.exception("generate failed on report %s", report.id)
            job.error = FAILED.format(reason="出现意外错误，已记录")
        finally:
            job.seconds = time.monotonic() - job.started
            job.finished = True

    job = jobs_of(request).start(report.id, drafter, run)
    if wants_json(request):
        return respond(request, "generate.html", _context(job), status_code=202)
    return RedirectResponse(f"/reports/{report.id}/generate/{job.id}", status_code=303)


@router.get("/reports/{report_id}/generate/{job_id}", summary="生成进度")
@router.get("/api/reports/{report_id}/generate/{job_id}", summary="生成进度（JSON）")
def generate_progress(request: Request, report_id: int, job_id: str, user=Depends(current_user)):
    report = readable_report(request, report_id, user)
    job = jobs_of(request).get(job_id)
    if job is None or job.report_id != report.id:
        raise HTTPException(404, "找不到这次生成任务（服务重启后进度不再保留），请回到报告页查看")
    context = _context(job)
    if wants_json(request):
        return respond(request, "generate.html", context)
    done = job.finished and not job.error
    if request.headers.get("hx-request"):
        if done:
            return Response(status_code=200, headers={"HX-Redirect": f"/reports/{report.id}"})
        return respond(request, "_generate_progress.html", context)
    if done:
        return RedirectResponse(f"/reports/{report.id}", status_code=303)
    return respond(request, "generate.html", context)
