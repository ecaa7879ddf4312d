"""A shared space for real: JupyterLab with real-time collaboration, on this machine.

SageMaker's shared JupyterLab spaces run JupyterLab's own collaboration extension
(jupyter-collaboration). Here the same extension runs locally, for named users who
each get their own link, so a learner can watch two people edit one notebook.
"""
