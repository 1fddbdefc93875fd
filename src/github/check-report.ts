/** What a check run says, as data; renderers produce it, the publisher sends it. */
export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
}

export interface CheckReport {
  title: string;
  summary: string;
  text?: string;
  conclusion: "success" | "failure" | "neutral" | "action_required" | "cancelled" | "skipped" | "timed_out";
  annotations: CheckAnnotation[];
}
