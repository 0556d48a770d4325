// Long work runs as a job on the service: queue it, follow its progress, hand back its result.
import { api, errorText, type Schemas } from "./api/client";
import { clear, h } from "./dom";
import { t } from "./i18n";

type Job = Schemas["JobPublic"];

/** A form's run button, progress bar and status line, wired to one job at a time. */
export interface JobControls {
  button: HTMLButtonElement;
  progress: HTMLProgressElement;
  status: HTMLElement;
}

export function jobControls(id: string, label: string): JobControls {
  return {
    button: h("button", { type: "submit", id: `${id}-run` }, label),
    progress: h("progress", { id: `${id}-progress`, max: "1", value: "0", "aria-label": t("running"), hidden: true }),
    status: h("div", { id: `${id}-status`, "aria-live": "polite" }),
  };
}

/** Queue a job with ``submit`` and poll it until it ends; the finished job, or null on failure
 * (the reason is shown in ``status``). */
export async function followJob(
  c: JobControls,
  submit: () => Promise<{ data?: Schemas["JobAccepted"]; error?: unknown }>,
): Promise<Job | null> {
  c.button.disabled = true;
  c.progress.hidden = false;
  c.progress.value = 0;
  const fail = (text: string): null => {
    c.button.disabled = false;
    c.progress.hidden = true;
    clear(c.status, h("p", { class: "error", role: "alert" }, `${t("apiError")}: ${text}`));
    return null;
  };
  const { data: queued, error } = await submit();
  if (!queued) return fail(errorText(error));
  for (;;) {
    const { data: job, error: jobError } = await api.GET("/jobs/{job_id}", { params: { path: { job_id: queued.job_id } } });
    if (!job) return fail(errorText(jobError));
    c.progress.value = job.progress;
    clear(c.status, h("p", {}, `${t("running")} ${Math.round(100 * job.progress)} % ${job.progress_message}`));
    if (job.status === "failed") return fail(job.error ?? job.status);
    if (job.status === "succeeded") {
      c.button.disabled = false;
      c.progress.hidden = true;
      clear(c.status, h("p", {}, t("done")));
      return job;
    }
    await new Promise((r) => setTimeout(r, 400));
  }
}
