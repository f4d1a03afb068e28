;;; cpt.el --- Code Periodic Table language server for Eglot and lsp-mode  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1"))
;; Keywords: languages, tools
;; URL: https://github.com/code-periodic-table/cpt

;;; Commentary:

;; Registers `cpt lsp' (pip install code-periodic-table) for Python, JavaScript, TypeScript,
;; Java and Go buffers with Eglot (`eglot-server-programs') and, when it is installed, with
;; lsp-mode (as an add-on client that runs next to the language's main server).  Loading this
;; file needs neither: each registration waits until its client is loaded.
;;
;;   (require 'cpt)
;;   (add-hook 'python-mode-hook #'eglot-ensure)   ; or #'lsp for lsp-mode
;;
;; See editors/emacs/README.md.

;;; Code:

(defgroup cpt nil
  "Code Periodic Table: design patterns, smells and security anti-patterns in your code."
  :group 'tools
  :prefix "cpt-")

(defcustom cpt-server-command '("cpt" "lsp")
  "Command line that starts the language server over stdio."
  :type '(repeat string))

(defcustom cpt-initialization-options nil
  "Options sent to the server at start-up, as a plist.
Keys: :select, :ignore, :severity, :thresholds, :codeLens, :debounceMs
and :logFile, e.g. (:debounceMs 300 :ignore [\"magic-number\"])."
  :type 'plist)

(defconst cpt-language-ids
  ;; Eglot takes the first entry a mode derives from, so derived modes come before their
  ;; parents (js-jsx-mode before js-mode).
  '((python-mode . "python") (python-ts-mode . "python")
    (js-jsx-mode . "javascriptreact") (rjsx-mode . "javascriptreact")
    (js-mode . "javascript") (js-ts-mode . "javascript") (js2-mode . "javascript")
    (tsx-ts-mode . "typescriptreact") (typescript-tsx-mode . "typescriptreact")
    (typescript-mode . "typescript") (typescript-ts-mode . "typescript")
    (java-mode . "java") (java-ts-mode . "java")
    (go-mode . "go") (go-ts-mode . "go"))
  "Major modes the server handles, with their LSP language id.")

(defun cpt--contact (&rest _)
  "The server's command line for Eglot, with `cpt-initialization-options' if any."
  (append cpt-server-command
          (and cpt-initialization-options
               (list :initializationOptions cpt-initialization-options))))

(defvar eglot-server-programs)

(defun cpt-eglot-register ()
  "Add the server to `eglot-server-programs' (once).
It serves the modes of `cpt-language-ids'."
  (let ((modes (mapcar (lambda (entry) (list (car entry) :language-id (cdr entry)))
                       cpt-language-ids)))
    (unless (assoc modes eglot-server-programs)
      ;; In front: Eglot runs one server per buffer, the first entry that matches its mode.
      (push (cons modes #'cpt--contact) eglot-server-programs))))

(declare-function lsp-register-client "ext:lsp-mode")
(declare-function make-lsp-client "ext:lsp-mode")
(declare-function lsp-stdio-connection "ext:lsp-mode")
(declare-function lsp-activate-on "ext:lsp-mode")

(defun cpt-lsp-mode-register ()
  "Register the server with lsp-mode as an add-on client."
  (lsp-register-client
   (make-lsp-client
    :new-connection (lsp-stdio-connection (lambda () cpt-server-command))
    :activation-fn (apply #'lsp-activate-on (delete-dups (mapcar #'cdr cpt-language-ids)))
    :initialization-options (lambda () cpt-initialization-options)
    :server-id 'cpt
    ;; Runs next to pyright, gopls, ...; never replaces them.
    :add-on? t
    :priority -1)))

(with-eval-after-load 'eglot (cpt-eglot-register))
(with-eval-after-load 'lsp-mode (cpt-lsp-mode-register))

(provide 'cpt)
;;; cpt.el ends here
